-- Payments: clients, QR payment sessions, standing counter codes, provider payments,
-- provider credentials (encrypted), provider events (deduplicated), receipts.

CREATE TABLE clients (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  phone text CHECK (phone IS NULL OR length(phone) <= 40),
  email text CHECK (email IS NULL OR length(email) <= 254),
  -- Digits only (with a leading +) and lower-cased: how a returning client is recognised.
  phone_key text,
  email_key text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX clients_phone ON clients (company_id, phone_key) WHERE phone_key IS NOT NULL;
CREATE UNIQUE INDEX clients_email ON clients (company_id, email_key) WHERE email_key IS NOT NULL;
CREATE INDEX clients_list ON clients (company_id, created_at DESC, id DESC);
SELECT comptoir_enable_tenant_rls('clients');

ALTER TABLE sales ADD COLUMN client_id uuid;
ALTER TABLE sales ADD CONSTRAINT sales_client FOREIGN KEY (company_id, client_id) REFERENCES clients (company_id, id);
CREATE INDEX sales_client ON sales (company_id, client_id, opened_at DESC) WHERE client_id IS NOT NULL;

-- A standing QR code per counter: its page creates a fresh session by POST.
CREATE TABLE payment_counters (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  code text NOT NULL UNIQUE,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
SELECT comptoir_enable_tenant_rls('payment_counters');

CREATE TABLE payment_sessions (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  -- The public URL's capability (staff of the company may show it again).
  token text NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('created', 'scanned', 'identified', 'service_selected', 'payment_initiated', 'paid', 'failed', 'abandoned', 'expired')),
  counter_id uuid,
  service_id uuid,
  amount bigint CHECK (amount IS NULL OR amount > 0),
  fixed_amount boolean NOT NULL DEFAULT false,
  currency char(3) NOT NULL,
  client_id uuid,
  client_name text,
  client_phone text,
  client_email text,
  payment_id uuid,
  sale_id uuid,
  created_by text,
  created_at timestamptz NOT NULL,
  -- When the last step happened (the next step's duration is measured from it).
  step_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, client_id) REFERENCES clients (company_id, id),
  FOREIGN KEY (company_id, service_id) REFERENCES products (company_id, id),
  FOREIGN KEY (company_id, counter_id) REFERENCES payment_counters (company_id, id)
);
CREATE INDEX payment_sessions_list ON payment_sessions (company_id, created_at DESC, id DESC);
CREATE INDEX payment_sessions_open ON payment_sessions (company_id, created_at)
  WHERE status IN ('created', 'scanned', 'identified', 'service_selected');
SELECT comptoir_enable_tenant_rls('payment_sessions');

-- A payment through a provider (or cash awaiting staff confirmation). On success the
-- tender row in `payments` is written with the same id.
CREATE TABLE payment_intents (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  method text NOT NULL CHECK (method IN ('cash', 'card', 'mobile_money')),
  provider text NOT NULL CHECK (provider IN ('cash', 'stripe', 'mobile_money')),
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'expired', 'refunded')),
  amount bigint NOT NULL CHECK (amount > 0),
  received bigint CHECK (received IS NULL OR received >= 0),
  currency char(3) NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('session', 'order', 'sale')),
  payment_session_id uuid,
  order_id uuid,
  sale_id uuid,
  provider_reference text,
  checkout_url text,
  phone text,
  failure_reason text,
  issue text,
  created_by text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz,
  CONSTRAINT payment_intents_purpose CHECK (
    (purpose = 'session' AND payment_session_id IS NOT NULL) OR (purpose = 'order' AND order_id IS NOT NULL) OR (purpose = 'sale' AND sale_id IS NOT NULL)),
  PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX payment_intents_reference ON payment_intents (company_id, provider, provider_reference) WHERE provider_reference IS NOT NULL;
CREATE INDEX payment_intents_pending ON payment_intents (company_id, created_at) WHERE status = 'pending';
CREATE INDEX payment_intents_list ON payment_intents (company_id, created_at DESC, id DESC);
CREATE INDEX payment_intents_order ON payment_intents (company_id, order_id) WHERE order_id IS NOT NULL;
SELECT comptoir_enable_tenant_rls('payment_intents');

-- Provider credentials, AES-256-GCM under COMPTOIR_SECRET_KEY; never returned by the API.
CREATE TABLE provider_credentials (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('stripe', 'mobile_money')),
  sealed text NOT NULL,
  hint text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, provider)
);
SELECT comptoir_enable_tenant_rls('provider_credentials');

-- Each provider event is processed once: its id is claimed in the processing transaction.
CREATE TABLE provider_events (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  provider text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, provider, event_id)
);
SELECT comptoir_enable_tenant_rls('provider_events');

CREATE TABLE receipts (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  sale_id uuid NOT NULL,
  payment_session_id uuid,
  content jsonb NOT NULL,
  email text,
  phone text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, sale_id),
  FOREIGN KEY (company_id, sale_id) REFERENCES sales (company_id, id)
);
SELECT comptoir_enable_tenant_rls('receipts');

-- One row per receipt and channel; attempts counted, the send marked once.
CREATE TABLE receipt_deliveries (
  company_id uuid NOT NULL,
  receipt_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  recipient text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  sent_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, receipt_id, channel),
  FOREIGN KEY (company_id, receipt_id) REFERENCES receipts (company_id, id) ON DELETE CASCADE
);
SELECT comptoir_enable_tenant_rls('receipt_deliveries');

ALTER TABLE online_orders DROP CONSTRAINT online_orders_status_check;
ALTER TABLE online_orders ADD CONSTRAINT online_orders_status_check
  CHECK (status IN ('pending', 'awaiting_pickup', 'paid', 'cancelled', 'expired', 'paid_unfulfilled'));

-- Payment and session trails read their events by subject.
CREATE INDEX events_payment ON events (company_id, (subjects->>'paymentId'), position) WHERE subjects ? 'paymentId';
CREATE INDEX events_payment_session ON events (company_id, (subjects->>'paymentSessionId'), position) WHERE subjects ? 'paymentSessionId';

-- A QR session for a fixed amount sells a free-amount line, with no product.
ALTER TABLE sale_items ALTER COLUMN product_id DROP NOT NULL;
ALTER TABLE sale_items ADD CONSTRAINT sale_items_goods_have_product CHECK (product_id IS NOT NULL OR kind <> 'good');

-- Live selling: live sessions (at most one active per company) and the orders customers
-- place during them, built step by step (products, payment, delivery zone, phone).

CREATE TABLE live_sessions (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  started_by_type text NOT NULL CHECK (started_by_type IN ('user', 'token', 'client', 'provider', 'job', 'system')),
  started_by_id text,
  started_at timestamptz NOT NULL,
  ended_by_type text CHECK (ended_by_type IS NULL OR ended_by_type IN ('user', 'token', 'client', 'provider', 'job', 'system')),
  ended_by_id text,
  ended_at timestamptz,
  currency char(3) NOT NULL,
  -- Figures: the session's completed orders and what they brought in (kept by the
  -- completing transaction; an order completed after the end still counts).
  order_count integer NOT NULL DEFAULT 0 CHECK (order_count >= 0),
  revenue bigint NOT NULL DEFAULT 0 CHECK (revenue >= 0),
  PRIMARY KEY (company_id, id)
);
-- One active session per company, whatever the application does.
CREATE UNIQUE INDEX live_sessions_one_active ON live_sessions (company_id) WHERE ended_at IS NULL;
CREATE INDEX live_sessions_list ON live_sessions (company_id, started_at DESC, id DESC);
SELECT comptoir_enable_tenant_rls('live_sessions');

CREATE TABLE live_orders (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  live_session_id uuid NOT NULL,
  -- Who the customer is on the live platform (the integration's id for them).
  external_customer_id text NOT NULL CHECK (length(external_customer_id) BETWEEN 1 AND 200),
  status text NOT NULL CHECK (status IN ('active', 'completed', 'cancelled')),
  -- [{productId, name, kind, quantity, unitPrice, lineTotal}], prices copied from the catalog.
  items jsonb NOT NULL DEFAULT '[]',
  total bigint NOT NULL DEFAULT 0 CHECK (total >= 0),
  currency char(3) NOT NULL,
  -- [{reference, amount}]: each transfer the customer made (same reference = same transfer).
  transfers jsonb NOT NULL DEFAULT '[]',
  received bigint NOT NULL DEFAULT 0 CHECK (received >= 0),
  delivery_zone text CHECK (delivery_zone IS NULL OR length(delivery_zone) BETWEEN 1 AND 100),
  customer_phone text CHECK (customer_phone IS NULL OR length(customer_phone) BETWEEN 1 AND 40),
  sale_id uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz,
  cancelled_at timestamptz,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, live_session_id) REFERENCES live_sessions (company_id, id),
  FOREIGN KEY (company_id, sale_id) REFERENCES sales (company_id, id),
  CONSTRAINT live_orders_completed_sale CHECK ((status = 'completed') = (sale_id IS NOT NULL))
);
-- At most one active order per customer and session.
CREATE UNIQUE INDEX live_orders_one_active ON live_orders (company_id, live_session_id, external_customer_id) WHERE status = 'active';
CREATE INDEX live_orders_list ON live_orders (company_id, created_at DESC, id DESC);
CREATE INDEX live_orders_by_status ON live_orders (company_id, status, created_at DESC, id DESC);
SELECT comptoir_enable_tenant_rls('live_orders');

-- Floor (areas, tables) and sales (items, payments). A table's occupancy is written in
-- the same transaction as the sale that opens or closes it.

CREATE TABLE areas (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  sort integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
SELECT comptoir_enable_tenant_rls('areas');

CREATE TABLE dining_tables (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  area_id uuid NOT NULL,
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 40),
  seats integer NOT NULL CHECK (seats BETWEEN 1 AND 100),
  x integer NOT NULL DEFAULT 0,
  y integer NOT NULL DEFAULT 0,
  shape text NOT NULL DEFAULT 'square' CHECK (shape IN ('square', 'round', 'rect')),
  active boolean NOT NULL DEFAULT true,
  status text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'occupied', 'reserved', 'out_of_service')),
  current_sale_id uuid,
  current_sale_reference text,
  current_server_id uuid,
  -- One table_occupied_long per occupation.
  long_alerted boolean NOT NULL DEFAULT false,
  occupied_since timestamptz,
  reserved_name text,
  reserved_at timestamptz,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, area_id) REFERENCES areas (company_id, id),
  -- Occupied if and only if it points at its open sale.
  CONSTRAINT dining_tables_occupancy CHECK ((status = 'occupied') = (current_sale_id IS NOT NULL))
);
CREATE UNIQUE INDEX dining_tables_label ON dining_tables (company_id, lower(label));
SELECT comptoir_enable_tenant_rls('dining_tables');

-- Gapless references per company: the counter row is taken in the sale's transaction.
CREATE TABLE sale_counters (
  company_id uuid PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  last_number bigint NOT NULL DEFAULT 0
);
SELECT comptoir_enable_tenant_rls('sale_counters');

CREATE TABLE sales (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  -- Assigned last in the opening transaction (see openSale): NULL only before commit.
  number bigint,
  reference text,
  status text NOT NULL CHECK (status IN ('open', 'paid', 'cancelled', 'partially_refunded', 'refunded')),
  channel text NOT NULL CHECK (channel IN ('counter', 'table', 'online', 'qr', 'live')),
  table_id uuid,
  customer_name text CHECK (customer_name IS NULL OR length(customer_name) <= 200),
  server_id uuid REFERENCES users (id) ON DELETE SET NULL,
  currency char(3) NOT NULL,
  total bigint NOT NULL DEFAULT 0 CHECK (total >= 0),
  paid bigint NOT NULL DEFAULT 0 CHECK (paid >= 0),
  refunded bigint NOT NULL DEFAULT 0 CHECK (refunded >= 0),
  cancel_reason text,
  version integer NOT NULL DEFAULT 1,
  opened_at timestamptz NOT NULL,
  paid_at timestamptz,
  cancelled_at timestamptz,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, number),
  FOREIGN KEY (company_id, table_id) REFERENCES dining_tables (company_id, id),
  CONSTRAINT sales_paid_within_total CHECK (paid <= total),
  CONSTRAINT sales_refunded_within_paid CHECK (refunded <= paid)
);
-- One open sale per table, whatever the application does.
CREATE UNIQUE INDEX sales_one_open_per_table ON sales (company_id, table_id) WHERE status = 'open' AND table_id IS NOT NULL;
CREATE INDEX sales_list ON sales (company_id, opened_at DESC, id DESC);
SELECT comptoir_enable_tenant_rls('sales');

CREATE TABLE sale_items (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  sale_id uuid NOT NULL,
  product_id uuid NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  unit_price bigint NOT NULL CHECK (unit_price >= 0),
  tax_rate integer NOT NULL CHECK (tax_rate BETWEEN 0 AND 10000),
  quantity integer NOT NULL CHECK (quantity > 0),
  note text CHECK (note IS NULL OR length(note) <= 300),
  added_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, sale_id) REFERENCES sales (company_id, id) ON DELETE CASCADE,
  FOREIGN KEY (company_id, product_id) REFERENCES products (company_id, id)
);
CREATE INDEX sale_items_sale ON sale_items (company_id, sale_id, added_at);
SELECT comptoir_enable_tenant_rls('sale_items');

-- One payments table for every capability (counter, QR sessions, online orders).
CREATE TABLE payments (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  sale_id uuid NOT NULL,
  method text NOT NULL CHECK (method IN ('cash', 'card', 'mobile_money')),
  amount bigint NOT NULL CHECK (amount > 0),
  tendered bigint,
  change bigint NOT NULL DEFAULT 0 CHECK (change >= 0),
  reference text,
  cash_session_id uuid,
  status text NOT NULL DEFAULT 'succeeded' CHECK (status IN ('succeeded', 'failed')),
  actor_type text NOT NULL,
  actor_id text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, sale_id) REFERENCES sales (company_id, id)
);
CREATE INDEX payments_sale ON payments (company_id, sale_id, created_at);
SELECT comptoir_enable_tenant_rls('payments');

-- Refunds: requested (pending), then approved or rejected by a manager.
CREATE TABLE refunds (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  sale_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 300),
  restock boolean NOT NULL DEFAULT false,
  items jsonb NOT NULL DEFAULT '[]',
  method text NOT NULL CHECK (method IN ('cash', 'card', 'mobile_money')),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  cash_session_id uuid,
  requested_by text,
  decided_by text,
  created_at timestamptz NOT NULL,
  decided_at timestamptz,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, sale_id) REFERENCES sales (company_id, id)
);
CREATE INDEX refunds_sale ON refunds (company_id, sale_id);
CREATE INDEX refunds_pending ON refunds (company_id, created_at) WHERE status = 'pending';
SELECT comptoir_enable_tenant_rls('refunds');

-- Cash-register sessions: one open session per register; expected cash is computed
-- from the session's cash payments and cash refunds.
CREATE TABLE cash_sessions (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  register text NOT NULL CHECK (length(register) BETWEEN 1 AND 60),
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  opening_float bigint NOT NULL CHECK (opening_float >= 0),
  expected_cash bigint,
  counted_cash bigint CHECK (counted_cash IS NULL OR counted_cash >= 0),
  difference bigint,
  opened_by uuid REFERENCES users (id) ON DELETE SET NULL,
  opened_at timestamptz NOT NULL,
  closed_by uuid REFERENCES users (id) ON DELETE SET NULL,
  closed_at timestamptz,
  long_alerted boolean NOT NULL DEFAULT false,
  PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX cash_sessions_one_open ON cash_sessions (company_id, lower(register)) WHERE status = 'open';
CREATE INDEX cash_sessions_list ON cash_sessions (company_id, opened_at DESC, id DESC);
SELECT comptoir_enable_tenant_rls('cash_sessions');
CREATE INDEX payments_cash_session ON payments (company_id, cash_session_id) WHERE cash_session_id IS NOT NULL;

-- A sale's own story (its detail page reads it).
CREATE INDEX events_sale ON events (company_id, (subjects->>'saleId'), position) WHERE subjects ? 'saleId';

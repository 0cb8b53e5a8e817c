-- Catalog: products, the stock ledger, holds.

CREATE TABLE products (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  sku text CHECK (sku IS NULL OR length(sku) BETWEEN 1 AND 64),
  category text CHECK (category IS NULL OR length(category) BETWEEN 1 AND 100),
  price bigint NOT NULL CHECK (price >= 0),
  tax_rate integer NOT NULL CHECK (tax_rate BETWEEN 0 AND 10000),
  kind text NOT NULL CHECK (kind IN ('good', 'service')),
  duration_minutes integer CHECK (duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440),
  low_stock_threshold integer NOT NULL DEFAULT 0 CHECK (low_stock_threshold >= 0),
  active boolean NOT NULL DEFAULT true,
  image_url text,
  archived_at timestamptz,
  -- Stock: on_hand is the sum of the product's movements; held is the quantity in
  -- holds whose status is 'active' (expired ones count until swept, and readers
  -- subtract those). Neither can go negative and holds never exceed what is there.
  on_hand integer NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  held integer NOT NULL DEFAULT 0 CHECK (held >= 0),
  low_stock_alerted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  CONSTRAINT products_held_within_on_hand CHECK (held <= on_hand),
  CONSTRAINT products_service_no_stock CHECK (kind = 'good' OR (on_hand = 0 AND held = 0))
);
CREATE UNIQUE INDEX products_sku ON products (company_id, lower(sku)) WHERE sku IS NOT NULL;
CREATE INDEX products_name ON products (company_id, lower(name), id);
CREATE INDEX products_category ON products (company_id, category);
SELECT comptoir_enable_tenant_rls('products');

CREATE TABLE stock_movements (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  product_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('restock', 'sale', 'refund_return', 'loss', 'adjustment')),
  quantity integer NOT NULL CHECK (quantity <> 0),
  on_hand_after integer NOT NULL CHECK (on_hand_after >= 0),
  reason text,
  note text CHECK (note IS NULL OR length(note) <= 500),
  ref_type text,
  ref_id uuid,
  actor_type text NOT NULL,
  actor_id text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, product_id) REFERENCES products (company_id, id)
);
CREATE INDEX stock_movements_product ON stock_movements (company_id, product_id, created_at DESC, id DESC);
SELECT comptoir_enable_tenant_rls('stock_movements');
-- The ledger is history: the app role may add movements, never rewrite them.
REVOKE UPDATE, DELETE ON stock_movements FROM comptoir_app;

CREATE TABLE holds (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  product_id uuid NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  owner_type text NOT NULL CHECK (owner_type IN ('cart', 'sale', 'live_order')),
  owner_id uuid NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'released', 'consumed', 'expired')),
  expires_at timestamptz,
  extended boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  ended_at timestamptz,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, product_id) REFERENCES products (company_id, id)
);
CREATE INDEX holds_owner ON holds (company_id, owner_type, owner_id) WHERE status = 'active';
-- Serves "expired but not yet swept" at read time and the expiry sweep.
CREATE INDEX holds_expiring ON holds (company_id, product_id, expires_at) WHERE status = 'active' AND expires_at IS NOT NULL;
CREATE INDEX holds_expiry_sweep ON holds (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL;
SELECT comptoir_enable_tenant_rls('holds');

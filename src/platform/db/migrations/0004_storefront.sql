-- Storefront: anonymous carts (unguessable token, stored hashed), their lines, online orders.

CREATE TABLE carts (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  token_hash text NOT NULL UNIQUE,
  status text NOT NULL CHECK (status IN ('open', 'checking_out', 'ordered')),
  order_id uuid,
  -- Messages to show on the next view (payment_cancelled, hold_expired), then cleared.
  pending_messages jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
SELECT comptoir_enable_tenant_rls('carts');

CREATE TABLE cart_lines (
  company_id uuid NOT NULL,
  cart_id uuid NOT NULL,
  product_id uuid NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  added_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, cart_id, product_id),
  FOREIGN KEY (company_id, cart_id) REFERENCES carts (company_id, id) ON DELETE CASCADE,
  FOREIGN KEY (company_id, product_id) REFERENCES products (company_id, id)
);
SELECT comptoir_enable_tenant_rls('cart_lines');

CREATE TABLE online_orders (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  cart_id uuid NOT NULL,
  reference text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'awaiting_pickup', 'paid', 'cancelled', 'expired')),
  customer jsonb NOT NULL,
  lines jsonb NOT NULL,
  total bigint NOT NULL CHECK (total >= 0),
  currency char(3) NOT NULL,
  hold_expires_at timestamptz,
  sale_id uuid,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, reference),
  FOREIGN KEY (company_id, cart_id) REFERENCES carts (company_id, id)
);
CREATE INDEX online_orders_cart ON online_orders (company_id, cart_id, created_at DESC);
SELECT comptoir_enable_tenant_rls('online_orders');

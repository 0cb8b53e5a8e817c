-- Preparation stations (kitchen, bar): a product says where it is prepared; "Envoyer en
-- cuisine" sends a sale's new lines to their stations as tickets, a removed line that was
-- already sent goes out as a cancellation, and the station screen marks tickets ready.

ALTER TABLE products ADD COLUMN station text CHECK (station IS NULL OR station IN ('kitchen', 'bar'));

-- One send: one "Envoyer en cuisine" (kind order) or one cancellation (kind cancel), with
-- one ticket per station. When every ticket of an order send is ready, the server is told
-- once (order_ready_at is set by the transaction that says so).
CREATE TABLE station_sends (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  sale_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('order', 'cancel')),
  actor_type text NOT NULL,
  actor_id text,
  created_at timestamptz NOT NULL,
  order_ready_at timestamptz,
  PRIMARY KEY (company_id, id),
  FOREIGN KEY (company_id, sale_id) REFERENCES sales (company_id, id) ON DELETE CASCADE
);
CREATE INDEX station_sends_sale ON station_sends (company_id, sale_id, created_at);
SELECT comptoir_enable_tenant_rls('station_sends');

-- A ticket: what one station has to prepare (or stop preparing) for one send. `seq` keeps
-- the order tickets were written in (several tickets share a sent_at).
CREATE TABLE station_tickets (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  send_id uuid NOT NULL,
  sale_id uuid NOT NULL,
  station text NOT NULL CHECK (station IN ('kitchen', 'bar')),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready')),
  sent_at timestamptz NOT NULL,
  ready_at timestamptz,
  ready_by_type text,
  ready_by_id text,
  PRIMARY KEY (company_id, id),
  UNIQUE (company_id, send_id, station),
  FOREIGN KEY (company_id, send_id) REFERENCES station_sends (company_id, id) ON DELETE CASCADE,
  FOREIGN KEY (company_id, sale_id) REFERENCES sales (company_id, id) ON DELETE CASCADE,
  CONSTRAINT station_tickets_ready CHECK ((status = 'ready') = (ready_at IS NOT NULL))
);
-- The station screen: its pending tickets, oldest first.
CREATE INDEX station_tickets_queue ON station_tickets (company_id, station, status, sent_at, seq);
CREATE INDEX station_tickets_sale ON station_tickets (company_id, sale_id, sent_at, seq);
SELECT comptoir_enable_tenant_rls('station_tickets');

-- A ticket's lines, in the sale's order. The sale line may since have been removed, so
-- its name and note are copied here (no foreign key to sale_items).
CREATE TABLE station_ticket_lines (
  company_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  position integer NOT NULL CHECK (position >= 0),
  sale_item_id uuid NOT NULL,
  product_id uuid,
  name text NOT NULL,
  quantity integer NOT NULL CHECK (quantity > 0),
  note text,
  kind text NOT NULL CHECK (kind IN ('new', 'cancel')),
  PRIMARY KEY (company_id, ticket_id, position),
  FOREIGN KEY (company_id, ticket_id) REFERENCES station_tickets (company_id, id) ON DELETE CASCADE
);
SELECT comptoir_enable_tenant_rls('station_ticket_lines');

-- What each sale line has told its station so far: the quantity sent, net of
-- cancellations. The next send sends only the difference. Kept when the line is removed
-- only long enough to send its cancellation (no foreign key to sale_items).
CREATE TABLE station_sent_items (
  company_id uuid NOT NULL,
  sale_item_id uuid NOT NULL,
  station text NOT NULL CHECK (station IN ('kitchen', 'bar')),
  product_id uuid,
  name text NOT NULL,
  note text,
  quantity integer NOT NULL CHECK (quantity >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, sale_item_id)
);
SELECT comptoir_enable_tenant_rls('station_sent_items');

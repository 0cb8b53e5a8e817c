-- Discounts (per line and per sale) and tips (per payment).
-- A discount is kept as asked (kind, value: minor units for 'amount', basis points for
-- 'percent'), with its reason and the manager who approved it; the amount it takes off
-- is recomputed with the sale's lines and stored (the sale's total follows).
ALTER TABLE sale_items
  ADD COLUMN discount_kind text CHECK (discount_kind IN ('amount', 'percent')),
  ADD COLUMN discount_value bigint,
  ADD COLUMN discount_amount bigint NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
  ADD COLUMN discount_reason text CHECK (discount_reason IS NULL OR length(discount_reason) BETWEEN 1 AND 300),
  ADD COLUMN discount_approved_by uuid REFERENCES users (id) ON DELETE SET NULL,
  ADD CONSTRAINT sale_items_discount_whole CHECK (
    (discount_kind IS NULL AND discount_value IS NULL AND discount_reason IS NULL AND discount_amount = 0)
    OR (discount_kind IS NOT NULL AND discount_value > 0 AND discount_reason IS NOT NULL)),
  ADD CONSTRAINT sale_items_discount_percent CHECK (discount_kind IS DISTINCT FROM 'percent' OR discount_value <= 10000);

ALTER TABLE sales
  ADD COLUMN discount_kind text CHECK (discount_kind IN ('amount', 'percent')),
  ADD COLUMN discount_value bigint,
  -- The whole-sale discount's amount, and every discount of the sale (lines + sale).
  ADD COLUMN discount_amount bigint NOT NULL DEFAULT 0 CHECK (discount_amount >= 0),
  ADD COLUMN discount_total bigint NOT NULL DEFAULT 0 CHECK (discount_total >= 0),
  ADD COLUMN discount_reason text CHECK (discount_reason IS NULL OR length(discount_reason) BETWEEN 1 AND 300),
  ADD COLUMN discount_approved_by uuid REFERENCES users (id) ON DELETE SET NULL,
  ADD CONSTRAINT sales_discount_whole CHECK (
    (discount_kind IS NULL AND discount_value IS NULL AND discount_reason IS NULL AND discount_amount = 0)
    OR (discount_kind IS NOT NULL AND discount_value > 0 AND discount_reason IS NOT NULL)),
  ADD CONSTRAINT sales_discount_percent CHECK (discount_kind IS DISTINCT FROM 'percent' OR discount_value <= 10000);

-- Tips: outside the sale's total and revenue (amount stays what pays the sale); a cash
-- tip is in `tendered` and not in `change`, so it lands in the drawer's expected cash.
-- server_id: who the tip is for (the sale's server, else whoever took the payment).
ALTER TABLE payments
  ADD COLUMN tip bigint NOT NULL DEFAULT 0 CHECK (tip >= 0),
  ADD COLUMN server_id uuid REFERENCES users (id) ON DELETE SET NULL;

-- Refunds recorded on a register session (reports), whatever their method.
CREATE INDEX refunds_cash_session ON refunds (company_id, cash_session_id) WHERE cash_session_id IS NOT NULL;

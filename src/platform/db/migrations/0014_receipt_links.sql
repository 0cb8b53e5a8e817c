-- Printed receipts carry a QR code to their online copy. A sale paid through a QR
-- payment session links to that session's page; any other sale gets its own
-- unguessable link token, made the first time its receipt is printed (one per sale,
-- kept so a reprint shows the same QR). The token is the only key of the public page.
CREATE TABLE receipt_links (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  sale_id uuid NOT NULL,
  token text NOT NULL UNIQUE CHECK (length(token) BETWEEN 20 AND 64),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, sale_id),
  FOREIGN KEY (company_id, sale_id) REFERENCES sales (company_id, id)
);
SELECT comptoir_enable_tenant_rls('receipt_links');

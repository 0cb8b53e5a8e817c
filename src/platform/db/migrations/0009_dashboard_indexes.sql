-- Dashboard: the sessions under way now (whenever they were opened). Without this
-- index that count reads the whole payment_sessions table, every company's history
-- (payment_sessions_open leaves out 'payment_initiated'); with it, only the few
-- sessions still under way.
CREATE INDEX payment_sessions_active ON payment_sessions (company_id)
  WHERE status IN ('created', 'scanned', 'identified', 'service_selected', 'payment_initiated');

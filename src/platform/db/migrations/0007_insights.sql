-- Insights: per-day figures built by a job for days that can no longer change, the
-- daily summary's once-per-day claim, and the indexes the dashboard and audit read.

CREATE TABLE daily_figures (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  day date NOT NULL,
  sessions_total integer NOT NULL DEFAULT 0,
  sessions_paid integer NOT NULL DEFAULT 0,
  sessions_abandoned integer NOT NULL DEFAULT 0,
  sessions_expired integer NOT NULL DEFAULT 0,
  sessions_failed integer NOT NULL DEFAULT 0,
  payments_count integer NOT NULL DEFAULT 0,
  payments_amount bigint NOT NULL DEFAULT 0,
  payments_failed integer NOT NULL DEFAULT 0,
  sales_count integer NOT NULL DEFAULT 0,
  sales_revenue bigint NOT NULL DEFAULT 0,
  by_channel jsonb NOT NULL DEFAULT '{}',
  by_method jsonb NOT NULL DEFAULT '{}',
  refunds_count integer NOT NULL DEFAULT 0,
  refunds_amount bigint NOT NULL DEFAULT 0,
  table_sales integer NOT NULL DEFAULT 0,
  table_minutes bigint NOT NULL DEFAULT 0,
  built_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, day)
);
SELECT comptoir_enable_tenant_rls('daily_figures');

CREATE TABLE daily_summaries (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  day date NOT NULL,
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, day)
);
SELECT comptoir_enable_tenant_rls('daily_summaries');

CREATE INDEX sales_paid_at ON sales (company_id, paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX payments_created ON payments (company_id, created_at);
CREATE INDEX refunds_decided ON refunds (company_id, decided_at) WHERE status = 'approved';
CREATE INDEX payment_intents_ended ON payment_intents (company_id, updated_at) WHERE status IN ('failed', 'expired');
CREATE INDEX events_problems ON events (company_id, created_at) WHERE level IN ('error', 'critical');
CREATE INDEX events_actor ON events (company_id, actor_type, actor_id, created_at);

-- Platform: the app role, tenancy helpers, accounts, companies, the event log.
-- Runs as the owner role. Every tenant table gets RLS through comptoir_enable_tenant_rls.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'comptoir_app') THEN
    CREATE ROLE comptoir_app NOLOGIN NOBYPASSRLS;
  END IF;
END $$;
GRANT comptoir_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO comptoir_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO comptoir_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO comptoir_app;

CREATE FUNCTION app_company_id() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.company_id', true), '')::uuid $$;
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;

-- Row-level security for a table keyed by company_id: the app role sees and writes
-- only the current company's rows; the owner role (migrations, jobs) sees all.
CREATE FUNCTION comptoir_enable_tenant_rls(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s TO comptoir_app USING (company_id = app_company_id()) WITH CHECK (company_id = app_company_id())', tbl);
  EXECUTE format('CREATE POLICY owner_all ON %s TO %I USING (true) WITH CHECK (true)', tbl, current_user);
END $$;

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  password_hash text,
  locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE auth_sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  ip inet,
  user_agent text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE password_resets (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Failed sign-in counters, per e-mail and per IP, shared by every instance.
CREATE TABLE auth_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  window_start timestamptz NOT NULL
);

CREATE TABLE companies (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'),
  external_ref text UNIQUE,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  timezone text NOT NULL,
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE memberships (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'manager', 'cashier', 'server')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- A signed-in user sees their own memberships and the companies they belong to,
-- so that /me can list them; everything else is per company.
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships TO comptoir_app
  USING (company_id = app_company_id() OR user_id = app_user_id())
  WITH CHECK (company_id = app_company_id());
CREATE POLICY owner_all ON memberships TO CURRENT_USER USING (true) WITH CHECK (true);

ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE companies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON companies TO comptoir_app
  USING (id = app_company_id()
         OR EXISTS (SELECT 1 FROM memberships m WHERE m.company_id = companies.id AND m.user_id = app_user_id()))
  WITH CHECK (id = app_company_id());
CREATE POLICY owner_all ON companies TO CURRENT_USER USING (true) WITH CHECK (true);

-- How many companies an account belongs to, across tenants (for the owner's
-- "set password" which must not reach an account shared with another company).
CREATE FUNCTION comptoir_membership_count(uid uuid) RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public AS $$ SELECT count(*)::integer FROM memberships WHERE user_id = uid $$;

CREATE TABLE api_tokens (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('owner', 'manager', 'cashier', 'server')),
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  PRIMARY KEY (company_id, id)
);
SELECT comptoir_enable_tenant_rls('api_tokens');

-- A retry with the same Idempotency-Key gets the first answer. Scoped to the caller
-- and route (scope), written in the command's own transaction.
CREATE TABLE idempotency_keys (
  scope text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  status integer,
  body jsonb,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);

-- Per-company stream position. Appending takes the row lock until commit, so
-- positions within a company follow commit order and have no gaps.
CREATE TABLE event_streams (
  company_id uuid PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
  position bigint NOT NULL DEFAULT 0
);
SELECT comptoir_enable_tenant_rls('event_streams');

CREATE TABLE events (
  company_id uuid NOT NULL,
  id uuid NOT NULL,
  position bigint NOT NULL,
  type text NOT NULL,
  level text NOT NULL CHECK (level IN ('info', 'warning', 'error', 'critical')),
  subjects jsonb NOT NULL DEFAULT '{}',
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'token', 'client', 'provider', 'job', 'system')),
  actor_id text,
  ip inet,
  user_agent text,
  request_id text,
  duration_ms integer,
  data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, created_at, id)
) PARTITION BY RANGE (created_at);
CREATE INDEX events_position ON events (company_id, position);
CREATE INDEX events_type ON events (company_id, type, created_at);
CREATE TABLE events_default PARTITION OF events DEFAULT;
SELECT comptoir_enable_tenant_rls('events');
-- Append-only: the app role may read and insert only, and nobody may rewrite history.
-- Partitions have no policies of their own: the app role reaches rows only through
-- the parent (where RLS applies), never a partition directly.
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM comptoir_app;
REVOKE ALL ON events_default FROM comptoir_app;
CREATE FUNCTION comptoir_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION comptoir_events_append_only();

-- Monthly partitions from a month for n months; skips a month that already exists
-- or whose rows already sit in the default partition.
CREATE FUNCTION comptoir_ensure_event_partitions(first_month date, months integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  m date;
  created integer := 0;
  part text;
BEGIN
  FOR i IN 0 .. months - 1 LOOP
    m := (date_trunc('month', first_month) + make_interval(months => i))::date;
    part := format('events_%s', to_char(m, 'YYYY_MM'));
    CONTINUE WHEN to_regclass(part) IS NOT NULL;
    CONTINUE WHEN EXISTS (SELECT 1 FROM events_default
                          WHERE created_at >= m AND created_at < (m + interval '1 month'));
    EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%L) TO (%L)',
                   part, m::timestamptz, (m + interval '1 month')::timestamptz);
    EXECUTE format('REVOKE ALL ON %I FROM comptoir_app', part);
    created := created + 1;
  END LOOP;
  RETURN created;
END $$;
SELECT comptoir_ensure_event_partitions((now() - interval '1 month')::date, 14);

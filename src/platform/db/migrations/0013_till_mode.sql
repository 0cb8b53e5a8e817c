-- Till mode: a device signed in by a manager becomes a shared till of one company, where
-- staff switch user with their PIN (see src/modules/tenancy/till.ts for the design).
--
-- The device holds only a random cookie; its SHA-256 is id_hash. The till holds the
-- enabling manager's sign-in session (session_hash): when that session ends (sign-out,
-- password change or reset, expiry) the till ends with it (ON DELETE CASCADE). A lock-out
-- drops the session (session_hash NULL, locked_at set) and keeps the row so the device is
-- told why until the row expires.
CREATE TABLE till_devices (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  id_hash text NOT NULL UNIQUE,
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
  enabled_by uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_hash text UNIQUE REFERENCES auth_sessions (id_hash) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  acting_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
  acting_since timestamptz,
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  locked_at timestamptz,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id),
  CHECK ((locked_at IS NULL) = (session_hash IS NOT NULL)),
  CHECK (locked_at IS NULL OR acting_user_id IS NULL)
);
CREATE INDEX till_devices_expiry ON till_devices (company_id, expires_at);
SELECT comptoir_enable_tenant_rls('till_devices');

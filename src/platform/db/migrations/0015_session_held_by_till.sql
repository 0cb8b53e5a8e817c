-- A sign-in session handed to a shared till is marked on the session itself, so the
-- per-request session lookup stays one index probe (a NOT EXISTS on till_devices there
-- cost about 0.3 ms on every authenticated request).
ALTER TABLE auth_sessions ADD COLUMN held_by_till boolean NOT NULL DEFAULT false;
UPDATE auth_sessions s SET held_by_till = true WHERE EXISTS (SELECT 1 FROM till_devices t WHERE t.session_hash = s.id_hash);

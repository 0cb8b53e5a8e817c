-- Notifications: one row per notification, one per recipient with its own read/archive state.

CREATE TABLE notifications (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  id uuid NOT NULL,
  type text NOT NULL,
  priority text NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
  params jsonb NOT NULL DEFAULT '{}',
  link text,
  data jsonb NOT NULL DEFAULT '{}',
  toast boolean NOT NULL,
  source_event_id uuid,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, id)
);
CREATE INDEX notifications_source ON notifications (company_id, source_event_id);
SELECT comptoir_enable_tenant_rls('notifications');

-- Type, priority and time are copied here so a user's list and unread count are
-- served from this table's indexes alone.
CREATE TABLE notification_recipients (
  company_id uuid NOT NULL,
  notification_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type text NOT NULL,
  priority text NOT NULL,
  area_id uuid,
  server_id uuid,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  archived_at timestamptz,
  PRIMARY KEY (company_id, user_id, notification_id),
  FOREIGN KEY (company_id, notification_id) REFERENCES notifications (company_id, id) ON DELETE CASCADE
);
-- The list: newest first per user.
CREATE INDEX notification_recipients_list ON notification_recipients (company_id, user_id, created_at DESC, notification_id DESC);
-- The badge: unread, not archived, by priority.
CREATE INDEX notification_recipients_unread ON notification_recipients (company_id, user_id, priority)
  WHERE read_at IS NULL AND archived_at IS NULL;
-- Retention sweep: read ones by age.
CREATE INDEX notification_recipients_read_age ON notification_recipients (read_at) WHERE read_at IS NOT NULL;
SELECT comptoir_enable_tenant_rls('notification_recipients');

CREATE TABLE notification_preferences (
  company_id uuid NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  muted_types text[] NOT NULL DEFAULT '{}',
  sound boolean NOT NULL DEFAULT true,
  email_daily_summary boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (company_id, user_id)
);
SELECT comptoir_enable_tenant_rls('notification_preferences');

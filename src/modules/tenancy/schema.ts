import { char, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Drizzle mirrors of the tables created by src/platform/db/migrations/0001_platform.sql.
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  email: text('email'),
  name: text('name').notNull(),
  passwordHash: text('password_hash'),
  locale: text('locale').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const companies = pgTable('companies', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull(),
  externalRef: text('external_ref'),
  currency: char('currency', { length: 3 }).notNull(),
  timezone: text('timezone').notNull(),
  settings: jsonb('settings').notNull(),
  createdAt: ts('created_at').notNull(),
  updatedAt: ts('updated_at').notNull(),
});

export const memberships = pgTable(
  'memberships',
  {
    companyId: uuid('company_id').notNull(),
    userId: uuid('user_id').notNull(),
    role: text('role').notNull(),
    createdAt: ts('created_at').notNull(),
    // 0010_pins.sql
    pinHash: text('pin_hash'),
    pinSetAt: ts('pin_set_at'),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.userId] })],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    companyId: uuid('company_id').notNull(),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    role: text('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdBy: uuid('created_by'),
    createdAt: ts('created_at').notNull(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.id] })],
);


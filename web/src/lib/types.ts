/** Shapes of the server's JSON answers (base /api/v1). */

export const ROLES = ['owner', 'manager', 'cashier', 'server'] as const;
export type Role = (typeof ROLES)[number];

export type User = { id: string; name: string; email: string | null; locale: string };

export type Membership = {
  companyId: string;
  companyName: string;
  slug: string;
  role: Role;
  currency: string;
};

export type Me = { user: User; memberships: Membership[] };

export type CompanySettings = {
  holdMinutes: number;
  largeSaleThreshold: number | null;
  tableLongMinutes: number;
  cashSessionMaxHours: number;
  requireCashSession: boolean;
  qrSessionMinutes: number;
  paymentTimeoutMinutes: number;
  dailySummaryTime: string;
  auditRetentionMonths: number;
};

export type Company = {
  id: string;
  name: string;
  slug: string;
  externalRef: string | null;
  currency: string;
  timezone: string;
  settings: CompanySettings;
  createdAt: string;
};

export type CompanyPatch = Partial<Pick<Company, 'name' | 'slug' | 'externalRef' | 'currency' | 'timezone'>> & {
  settings?: Partial<CompanySettings>;
};

export type NewCompany = {
  name: string;
  slug?: string;
  currency: string;
  timezone: string;
  externalRef?: string;
};

export type Member = { userId: string; name: string; email: string | null; role: Role; createdAt: string };

export type NewMember = { email: string; role: Role; name?: string; password?: string };

export type ApiToken = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type CreatedApiToken = ApiToken & { token: string };

export type Page<T> = { items: T[]; nextCursor: string | null };

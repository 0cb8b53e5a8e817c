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

/** On a shared till (till mode), `user` is the member who typed their PIN and `till` is set. */
export type Me = { user: User; memberships: Membership[]; till?: { tillId: string; companyId: string } };

export type CompanySettings = {
  holdMinutes: number;
  /** Tax rate of new products, in basis points (1800 = 18 %). */
  defaultTaxRate: number;
  largeSaleThreshold: number | null;
  tableLongMinutes: number;
  cashSessionMaxHours: number;
  requireCashSession: boolean;
  qrSessionMinutes: number;
  paymentTimeoutMinutes: number;
  dailySummaryTime: string;
  auditRetentionMonths: number;
  /** A discount above this share (whole percent) of its line or sale needs a manager's PIN. */
  discountApprovalPercent: number;
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

/** email null: a member with a PIN only (never signs in with a password). */
export type Member = { userId: string; name: string; email: string | null; role: Role; hasPin: boolean; createdAt: string };

/** Without an e-mail: a name and a PIN (a member who uses a PIN only). */
export type NewMember = { email?: string; role: Role; name?: string; password?: string; pin?: string };

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

// Catalog and stock

export const PRODUCT_KINDS = ['good', 'service'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
/** Preparation stations: a product's lines go there as tickets ("Envoyer en cuisine"). */
export const STATIONS = ['kitchen', 'bar'] as const;
export type Station = (typeof STATIONS)[number];

export type Product = {
  id: string;
  name: string;
  sku: string | null;
  category: string | null;
  /** Minor units, tax included. */
  price: number;
  /** Basis points (1800 = 18 %). */
  taxRate: number;
  kind: ProductKind;
  durationMinutes: number | null;
  lowStockThreshold: number;
  active: boolean;
  imageUrl: string | null;
  /** Where it is prepared (null: nowhere). */
  station: Station | null;
  archivedAt: string | null;
  onHand: number;
  held: number;
  available: number;
  /** A good whose available quantity is at or below its threshold. */
  lowStock: boolean;
  createdAt: string;
  updatedAt: string;
};

export type ProductInput = {
  name: string;
  sku?: string | null;
  category?: string | null;
  price: number;
  taxRate?: number;
  kind: ProductKind;
  durationMinutes?: number | null;
  lowStockThreshold?: number;
  active?: boolean;
  imageUrl?: string | null;
  station?: Station | null;
};

export type ProductFilters = {
  search?: string;
  category?: string;
  kind?: ProductKind;
  active?: boolean;
  archived?: boolean;
  lowStock?: boolean;
};

export const MOVEMENT_KINDS = ['restock', 'sale', 'refund_return', 'loss', 'adjustment'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const LOSS_REASONS = ['broken', 'expired', 'stolen', 'other'] as const;
export type LossReason = (typeof LOSS_REASONS)[number];

export type StockMovement = {
  id: string;
  kind: MovementKind;
  /** Signed change of on-hand. */
  quantity: number;
  onHandAfter: number;
  reason: string | null;
  note: string | null;
  refType: string | null;
  refId: string | null;
  actor: { type: string; id: string | null; name: string | null };
  createdAt: string;
};

export type HoldOwner = { type: string; id: string };
export type Hold = { id: string; productId: string; quantity: number; owner: HoldOwner; expiresAt: string | null };

// Notifications

/** Notification types, in the order the filters and preferences list them. */
export const NOTIFICATION_TYPES = [
  'table_freed',
  'table_occupied_long',
  'low_stock',
  'loss_reported',
  'large_sale',
  'refund_pending',
  'session_long',
  'payment_failed',
  'payment_issue',
  'daily_summary',
  'system_error',
  'order_ready',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** Types that are always urgent, so they cannot be muted (the server drops them from mutedTypes). */
export const URGENT_NOTIFICATION_TYPES: readonly string[] = ['system_error'];

export const NOTIFICATION_PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type NotificationPriority = (typeof NOTIFICATION_PRIORITIES)[number];

/** A translatable sentence: an i18n key and its parameters. */
export type I18nText = { code: string; params?: Record<string, unknown> };

export type AppNotification = {
  id: string;
  type: string;
  priority: NotificationPriority;
  title: I18nText;
  message: I18nText;
  /** A path in the web app (e.g. /c/{companyId}/products/{productId}), or null. */
  link: string | null;
  data: Record<string, unknown>;
  /** Whether it pops up (false when the reader muted its type). */
  toast: boolean;
  createdAt: string;
  readAt: string | null;
  archivedAt: string | null;
};

export type NotificationCount = { unread: number; byPriority: Record<NotificationPriority, number> };

export type NotificationFilters = {
  type?: string;
  unread?: boolean;
  priority?: NotificationPriority;
  archived?: boolean;
  since?: string;
  areaId?: string;
  serverId?: string;
};

export type NotificationPreferences = { mutedTypes: string[]; sound: boolean; emailDailySummary: boolean };

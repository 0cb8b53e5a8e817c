import {
  Bell,
  ChefHat,
  Contact,
  House,
  KeyRound,
  LayoutDashboard,
  LayoutGrid,
  type LucideIcon,
  Martini,
  Package,
  QrCode,
  Receipt,
  ScrollText,
  Settings,
  Undo2,
  Users,
  Wallet,
} from 'lucide-react';
import type { Role } from './lib/types.ts';

export type NavItem = {
  /** Path relative to /c/:companyId ('' is the company home). */
  to: string;
  /** i18n key of the label. */
  labelKey: string;
  icon: LucideIcon;
  /** Roles that see the link (and may use the page). */
  roles: readonly Role[];
  /** Match the path exactly (for the home link). */
  end?: boolean;
};

const ALL: readonly Role[] = ['owner', 'manager', 'cashier', 'server'];
const MANAGERS: readonly Role[] = ['owner', 'manager'];
const OWNER: readonly Role[] = ['owner'];
/** Servers take orders but do not manage stock. */
const STOCK_READERS: readonly Role[] = ['owner', 'manager', 'cashier'];

/** The company navigation. Later capabilities add their entries here (and a route in routes.tsx). */
export const NAV_ITEMS: NavItem[] = [
  { to: '', labelKey: 'nav.home', icon: House, roles: ALL, end: true },
  { to: 'dashboard', labelKey: 'nav.dashboard', icon: LayoutDashboard, roles: MANAGERS },
  { to: 'floor', labelKey: 'nav.floor', icon: LayoutGrid, roles: ALL },
  { to: 'sales', labelKey: 'nav.sales', icon: Receipt, roles: ALL },
  // Kitchen and bar screens (stations.run): kitchen staff are cashiers or servers.
  { to: 'stations/kitchen', labelKey: 'stations.names.kitchen', icon: ChefHat, roles: ALL },
  { to: 'stations/bar', labelKey: 'stations.names.bar', icon: Martini, roles: ALL },
  { to: 'products', labelKey: 'nav.products', icon: Package, roles: STOCK_READERS },
  { to: 'cash-sessions', labelKey: 'nav.cashSessions', icon: Wallet, roles: STOCK_READERS },
  { to: 'payment-sessions', labelKey: 'nav.paymentSessions', icon: QrCode, roles: STOCK_READERS },
  { to: 'clients', labelKey: 'nav.clients', icon: Contact, roles: STOCK_READERS },
  { to: 'refunds', labelKey: 'nav.refunds', icon: Undo2, roles: MANAGERS },
  { to: 'notifications', labelKey: 'nav.notifications', icon: Bell, roles: ALL },
  { to: 'members', labelKey: 'nav.members', icon: Users, roles: MANAGERS },
  { to: 'audit', labelKey: 'nav.audit', icon: ScrollText, roles: MANAGERS },
  { to: 'settings', labelKey: 'nav.settings', icon: Settings, roles: MANAGERS },
  { to: 'tokens', labelKey: 'nav.tokens', icon: KeyRound, roles: OWNER },
];

/** Who may manage members (invite, change roles, remove, set passwords). */
export const MEMBER_MANAGERS = OWNER;
/** Who may create, edit and archive products (catalog.manage). */
export const CATALOG_MANAGERS = MANAGERS;
/** Who may restock and adjust stock (stock.manage). */
export const STOCK_MANAGERS = MANAGERS;
/** Who may create and edit areas and tables (floor.manage). */
export const FLOOR_MANAGERS = MANAGERS;
/** Who may list the members, e.g. to pick a sale's server (GET /members). */
export const MEMBER_READERS = MANAGERS;
/** Who may report a loss (stock.loss). */
export const LOSS_REPORTERS = STOCK_READERS;
/** Who may request a refund (refunds.request). */
export const REFUND_REQUESTERS = STOCK_READERS;
/** Who may approve or reject a refund (refunds.approve). */
export const REFUND_APPROVERS = MANAGERS;
/** Who may open and close cash-register sessions (cash_sessions.run). */
export const CASH_SESSION_RUNNERS = STOCK_READERS;

/** Who may run QR payment sessions, confirm cash and send payment requests (payments.run). */
export const PAYMENT_RUNNERS = STOCK_READERS;
/** Who may configure payment providers and create counters. */
export const PAYMENT_MANAGERS = MANAGERS;

/** Who may read the audit trail: event search, CSV export, payment and session trails (events.read). */
export const AUDIT_READERS = MANAGERS;
/** Who may read the dashboard figures (dashboard.read). */
export const DASHBOARD_READERS = MANAGERS;
/** Who may switch live mode and follow live orders (live.run). */
export const LIVE_RUNNERS = STOCK_READERS;

export function navFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles.includes(role));
}

export function rolesFor(to: string): readonly Role[] {
  return NAV_ITEMS.find((item) => item.to === to)?.roles ?? ALL;
}

/**
 * Roles and the one permission table of every capability. A route names the action
 * it performs; the guard checks the caller's role against this table before the
 * handler runs. Later capabilities add their rows here.
 */
export const ROLES = ['owner', 'manager', 'cashier', 'server'] as const;
export type Role = (typeof ROLES)[number];

const ALL: Role[] = ['owner', 'manager', 'cashier', 'server'];
const MANAGERS: Role[] = ['owner', 'manager'];

export const PERMISSIONS = {
  'company.read': ALL,
  'company.update': MANAGERS,
  'members.read': MANAGERS,
  'members.manage': ['owner'],
  'tokens.manage': ['owner'],
  'stream.read': ALL,
  'notifications.read': ALL,
  // Rows the next capabilities fill in; listed now so the table is the one place to look.
  'catalog.read': ALL,
  'catalog.manage': MANAGERS,
  'stock.read': ['owner', 'manager', 'cashier'],
  'stock.manage': MANAGERS,
  'stock.loss': ['owner', 'manager', 'cashier'],
  'holds.manage': ['owner', 'manager', 'cashier'],
  'floor.read': ALL,
  'floor.manage': MANAGERS,
  'floor.run': ['owner', 'manager', 'server'],
  'sales.run': ALL,
  'payments.run': ['owner', 'manager', 'cashier'],
  'payments.manage': MANAGERS,
  'refunds.request': ['owner', 'manager', 'cashier'],
  'refunds.approve': MANAGERS,
  'cash_sessions.run': ['owner', 'manager', 'cashier'],
  'events.read': MANAGERS,
  'dashboard.read': MANAGERS,
  'activity.read': ALL,
  'live.run': ['owner', 'manager', 'cashier'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** "Managers" in notification audiences and permissions: owners and managers. */
export const managerRoles = MANAGERS;

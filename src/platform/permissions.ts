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
  // Staff PINs and till mode (src/modules/tenancy/till.ts): a manager sets the PINs of
  // cashiers and servers (an owner anyone's), everyone their own; managers turn a device
  // into a shared till, where everyone switches user with their PIN.
  'members.pins': MANAGERS,
  'pin.own': ALL,
  'till.manage': MANAGERS,
  'till.use': ALL,
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
  // Kitchen and bar screens, and "Envoyer en cuisine" from the till (kitchen staff are cashiers or servers).
  'stations.run': ALL,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/**
 * What decides who gets in (members, PINs, API tokens) is never done with a PIN: on a
 * shared till these need a full sign-in, whatever the acting member's role.
 */
const FULL_SIGN_IN_ONLY: ReadonlySet<Permission> = new Set<Permission>(['members.manage', 'tokens.manage', 'members.pins', 'pin.own']);

export function pinMayDo(permission: Permission): boolean {
  return !FULL_SIGN_IN_ONLY.has(permission);
}

/** "Managers" in notification audiences and permissions: owners and managers. */
export const managerRoles = MANAGERS;

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventLevel, EventType } from '../../platform/events/event-map.ts';
import type { Role } from '../../platform/permissions.ts';
import { allowedMutes, audience, PRIORITIES, type Priority, RULES, ruleFor, toastsFor } from './rules.ts';

const ROLES: Role[] = ['owner', 'manager', 'cashier', 'server'];
const LEVELS: EventLevel[] = ['info', 'warning', 'error', 'critical'];
const MANAGERS: Role[] = ['owner', 'manager'];
const TYPES = Object.keys(RULES) as EventType[];

/** The table the issue asks for: roles, priority, toast, and which data field names an extra member. */
const EXPECTED: Record<string, { roles: Role[]; priority: Priority; toast: boolean; named?: string; orElse?: Role[] }> = {
  table_freed: { roles: ROLES, priority: 'medium', toast: true },
  low_stock: { roles: MANAGERS, priority: 'high', toast: true },
  large_sale: { roles: MANAGERS, priority: 'medium', toast: false },
  refund_pending: { roles: MANAGERS, priority: 'high', toast: true },
  loss_reported: { roles: MANAGERS, priority: 'high', toast: true },
  session_long: { roles: MANAGERS, priority: 'medium', toast: false, named: 'cashierId' },
  table_occupied_long: { roles: MANAGERS, priority: 'low', toast: false, named: 'serverId' },
  payment_failed: { roles: MANAGERS, priority: 'high', toast: true },
  payment_issue: { roles: MANAGERS, priority: 'high', toast: true },
  daily_summary: { roles: MANAGERS, priority: 'low', toast: false },
  system_error: { roles: ['owner'], priority: 'urgent', toast: true },
  order_ready: { roles: [], priority: 'high', toast: true, named: 'serverId', orElse: MANAGERS },
};

const userId = fc.constantFrom(...Array.from({ length: 12 }, (_, i) => `u${i}`));
const members = fc.uniqueArray(fc.record({ userId, role: fc.constantFrom(...ROLES) }), { selector: (m) => m.userId, maxLength: 12 });

describe('the rules table', () => {
  it('has exactly the rows the issue lists, with their audience, priority and toast', () => {
    expect(TYPES.sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [type, want] of Object.entries(EXPECTED)) {
      const rule = RULES[type as EventType]!;
      expect([...rule.roles].sort(), type).toEqual([...want.roles].sort());
      expect(rule.priority, type).toBe(want.priority);
      expect(rule.toast, type).toBe(want.toast);
      expect([...(rule.orElse ?? [])].sort(), type).toEqual([...(want.orElse ?? [])].sort());
    }
  });

  it('links are relative URLs inside the company', () => {
    for (const type of TYPES) {
      const link = RULES[type]!.link?.('c1', { productId: 'p', saleId: 's', paymentId: 'y' });
      if (link !== null && link !== undefined) expect(link.startsWith('/c/c1/'), type).toBe(true);
    }
    expect(RULES.payment_issue!.link!('c1', {})).toBeNull();
    expect(RULES.low_stock!.link!('c1', { productId: 'p9' })).toBe('/c/c1/products/p9');
  });
});

describe('audience', () => {
  it('is exactly the members with an audience role plus the members the event names', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), members, userId, (type, list, named) => {
        const want = EXPECTED[type]!;
        const data = want.named ? { [want.named]: named } : { cashierId: named, serverId: named };
        const got = audience(RULES[type]!, data, list);
        const namedMember = want.named !== undefined && list.some((m) => m.userId === named);
        const roles = want.orElse && !namedMember ? [...want.roles, ...want.orElse] : want.roles;
        const expected = list
          .filter((m) => roles.includes(m.role) || (want.named !== undefined && m.userId === named))
          .map((m) => m.userId);
        expect(got.sort()).toEqual(expected.sort());
        expect(new Set(got).size).toBe(got.length);
      }),
      { numRuns: 500 },
    );
  });

  it('a cashier or server never gets a managers-only type unless the event names them', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES.filter((t) => t !== 'table_freed')), members, (type, list) => {
        const got = new Set(audience(RULES[type]!, {}, list));
        for (const m of list) if (m.role === 'cashier' || m.role === 'server') expect(got.has(m.userId), `${type} ${m.role}`).toBe(false);
      }),
    );
  });

  it('a named user who is not a member gets nothing; a missing name adds no one', () => {
    const list = [{ userId: 'a', role: 'cashier' as Role }, { userId: 'b', role: 'manager' as Role }];
    expect(audience(RULES.session_long!, { cashierId: 'stranger' }, list)).toEqual(['b']);
    expect(audience(RULES.session_long!, {}, list)).toEqual(['b']);
    expect(audience(RULES.session_long!, { cashierId: 'a' }, list).sort()).toEqual(['a', 'b']);
    expect(audience(RULES.table_occupied_long!, { serverId: 42 }, list)).toEqual(['b']);
  });

  it("order_ready goes to the sale's server only; without a server (or one no longer a member) to the managers", () => {
    const list = [
      { userId: 's', role: 'server' as Role },
      { userId: 'c', role: 'cashier' as Role },
      { userId: 'm', role: 'manager' as Role },
      { userId: 'o', role: 'owner' as Role },
    ];
    expect(audience(RULES.order_ready!, { serverId: 's' }, list)).toEqual(['s']);
    expect(audience(RULES.order_ready!, { serverId: 'm' }, list)).toEqual(['m']);
    expect(audience(RULES.order_ready!, {}, list).sort()).toEqual(['m', 'o']);
    expect(audience(RULES.order_ready!, { serverId: 'gone' }, list).sort()).toEqual(['m', 'o']);
    expect(RULES.order_ready!.link!('c1', { saleId: 's9' })).toBe('/c/c1/sales/s9');
  });
});

describe('ruleFor', () => {
  it('finds a rule for every rule type at any level, except system_error which needs critical', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.constantFrom(...LEVELS), (type, level) => {
        const rule = ruleFor({ type, level });
        if (type === 'system_error' && level !== 'critical') expect(rule).toBeNull();
        else expect(rule).toBe(RULES[type]);
      }),
    );
  });

  it('returns null for event types without a rule', () => {
    for (const type of ['sale_paid', 'hold_placed', 'notification_state_changed', 'nope']) {
      for (const level of LEVELS) expect(ruleFor({ type, level })).toBeNull();
    }
  });
});

describe('toastsFor', () => {
  const n = fc.record({ type: fc.constantFrom(...TYPES), priority: fc.constantFrom(...PRIORITIES), toast: fc.boolean() });
  const muted = fc.subarray(TYPES as string[]);

  it('never toasts a non-toast notification; toasts a toast one unless muted and not urgent', () => {
    fc.assert(
      fc.property(n, muted, (x, m) => {
        const got = toastsFor(x, m);
        if (!x.toast) expect(got).toBe(false);
        else if (x.priority === 'urgent') expect(got).toBe(true);
        else expect(got).toBe(!m.includes(x.type));
      }),
      { numRuns: 500 },
    );
  });

  it('uses the rules: muted low_stock is silent, muted system_error still toasts, large_sale never toasts', () => {
    expect(toastsFor({ type: 'low_stock', priority: 'high', toast: true }, ['low_stock'])).toBe(false);
    expect(toastsFor({ type: 'low_stock', priority: 'high', toast: true }, [])).toBe(true);
    expect(toastsFor({ type: 'system_error', priority: 'urgent', toast: true }, ['system_error'])).toBe(true);
    expect(toastsFor({ type: 'large_sale', priority: 'medium', toast: false }, [])).toBe(false);
  });
});

describe('allowedMutes', () => {
  it('drops urgent types and duplicates, keeps the rest (unknown types too)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TYPES, 'unknown_type')), (types) => {
        const got = allowedMutes(types);
        expect(got).not.toContain('system_error');
        expect(new Set(got).size).toBe(got.length);
        expect(got.sort()).toEqual([...new Set(types)].filter((t) => t !== 'system_error').sort());
      }),
    );
    expect(allowedMutes(['system_error', 'low_stock', 'low_stock'])).toEqual(['low_stock']);
  });
});

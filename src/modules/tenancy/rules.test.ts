import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../platform/permissions.ts';
import {
  CURRENCIES,
  isTimeZone,
  keepsAnOwner,
  normalizeEmail,
  passwordProblem,
  resolveSettings,
  SLUG_PATTERN,
  settingsSchema,
  slugify,
} from './rules.ts';

const DEFAULTS = settingsSchema.parse({});

describe('passwordProblem', () => {
  it('counts characters, not UTF-16 units, for the minimum', () => {
    expect(passwordProblem('abcdefgh9')).toBe('too_short');
    expect(passwordProblem('abcdefgh9x')).toBeNull();
    expect(passwordProblem('😀'.repeat(9))).toBe('too_short');
    expect(passwordProblem('😀🍕'.repeat(5))).toBeNull();
    expect(passwordProblem('')).toBe('too_short');
  });

  it('caps the length at 200', () => {
    expect(passwordProblem(`#${'ab'.repeat(99)}c`)).toBeNull();
    expect(passwordProblem(`#${'ab'.repeat(100)}`)).toBe('too_long');
  });

  it('refuses well-known passwords whatever their case', () => {
    for (const p of ['1234567890', 'PASSWORD123', 'Azertyuiop', 'MotDePasse1', 'comptoir2026']) {
      expect(passwordProblem(p), p).toBe('too_common');
    }
  });

  it('refuses one repeated character and runs of digits, up or down, wrapping', () => {
    expect(passwordProblem('aAaAaAaAaAaA')).toBe('too_common');
    expect(passwordProblem('7890123456')).toBe('too_common');
    expect(passwordProblem('5432109876543')).toBe('too_common');
    expect(passwordProblem('1234567809')).toBeNull();
  });

  it('property: fewer than 10 characters is always too short', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 9 }), (p) => {
        expect(passwordProblem(p)).toBe('too_short');
      }),
    );
  });

  it('property: any single character repeated 10–200 times is too common', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 1 }), fc.integer({ min: 10, max: 200 }), (ch, n) => {
        expect(passwordProblem(ch.repeat(n))).toBe('too_common');
      }),
    );
  });

  it('property: a varied, non-numeric password of 10–200 characters is accepted', () => {
    const varied = fc
      .string({ minLength: 9, maxLength: 199 })
      .filter((s) => new Set(s.toLowerCase()).size > 1);
    fc.assert(
      fc.property(varied, (s) => {
        // The '#' keeps it off the list of well-known passwords (all alphanumeric).
        expect(passwordProblem(`#${s}`)).toBeNull();
      }),
    );
  });
});

describe('slugify', () => {
  it('turns a company name into a readable slug', () => {
    expect(slugify('Le Comptoir de Démo')).toBe('le-comptoir-de-demo');
    expect(slugify("  Chez Fatou & Fils — Café/Bar  ")).toBe('chez-fatou-fils-cafe-bar');
    expect(slugify('Ça coûte 5 €')).toBe('ca-coute-5');
    expect(slugify('!!!')).toBe('entreprise');
    expect(slugify('')).toBe('entreprise');
  });

  it('cuts long names at 64 characters without a trailing dash', () => {
    const s = slugify(`${'a'.repeat(63)} b`);
    expect(s).toBe('a'.repeat(63));
    expect(slugify('x'.repeat(100))).toHaveLength(64);
  });

  it('property: the output always matches SLUG_PATTERN and is stable', () => {
    const names = fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ maxLength: 120 }));
    fc.assert(
      fc.property(names, (name) => {
        const s = slugify(name);
        expect(s).toMatch(SLUG_PATTERN);
        expect(s.length).toBeLessThanOrEqual(64);
        expect(slugify(s)).toBe(s);
      }),
    );
  });

  it('property: a name that is already a valid slug is kept as is', () => {
    fc.assert(
      fc.property(fc.stringMatching(SLUG_PATTERN), (slug) => {
        fc.pre(!slug.includes('--'));
        expect(slugify(slug)).toBe(slug);
      }),
    );
  });
});

describe('resolveSettings', () => {
  it('gives the defaults for nothing or a non-object', () => {
    for (const stored of [null, undefined, 42, 'holdMinutes', true]) expect(resolveSettings(stored)).toEqual(DEFAULTS);
    expect(DEFAULTS).toMatchObject({ holdMinutes: 15, largeSaleThreshold: null, dailySummaryTime: '23:00', requireCashSession: false });
  });

  it('keeps valid stored values, drops unknown keys and falls back per invalid key', () => {
    const out = resolveSettings({ holdMinutes: 30, largeSaleThreshold: 50_000, tableLongMinutes: -1, dailySummaryTime: '25:00', legacy: 'x' });
    expect(out).toEqual({ ...DEFAULTS, holdMinutes: 30, largeSaleThreshold: 50_000 });
    expect(out).not.toHaveProperty('legacy');
  });

  it('ignores keys that name Object.prototype members', () => {
    const stored = JSON.parse('{"__proto__": {"holdMinutes": 1}, "constructor": 5, "toString": 3, "holdMinutes": 20}');
    const out = resolveSettings(stored);
    expect(out).toEqual({ ...DEFAULTS, holdMinutes: 20 });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('property: whatever is stored, the result is complete and valid', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...Object.keys(DEFAULTS), 'other'), fc.anything())), (stored) => {
        const out = resolveSettings(stored);
        expect(settingsSchema.strict().safeParse(out).success).toBe(true);
        expect(Object.keys(out).sort()).toEqual(Object.keys(DEFAULTS).sort());
      }),
    );
  });

  it('property: valid settings come back unchanged', () => {
    const valid = fc.record({
      holdMinutes: fc.integer({ min: 1, max: 1440 }),
      largeSaleThreshold: fc.option(fc.integer({ min: 1, max: 1e9 }), { nil: null }),
      tableLongMinutes: fc.integer({ min: 1, max: 10_080 }),
      cashSessionMaxHours: fc.integer({ min: 1, max: 168 }),
      requireCashSession: fc.boolean(),
      qrSessionMinutes: fc.integer({ min: 1, max: 1440 }),
      paymentTimeoutMinutes: fc.integer({ min: 1, max: 10_080 }),
      dailySummaryTime: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(
        ([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`,
      ),
      auditRetentionMonths: fc.integer({ min: 1, max: 120 }),
    }, { requiredKeys: [] });
    fc.assert(
      fc.property(valid, (partial) => {
        expect(resolveSettings(partial)).toEqual({ ...DEFAULTS, ...partial });
      }),
    );
  });
});

describe('keepsAnOwner', () => {
  it('refuses removing or demoting the last owner, allows it when another remains', () => {
    expect(keepsAnOwner(1, { role: 'owner' }, 'remove')).toBe(false);
    expect(keepsAnOwner(1, { role: 'owner' }, { role: 'manager' })).toBe(false);
    expect(keepsAnOwner(1, { role: 'owner' }, { role: 'owner' })).toBe(true);
    expect(keepsAnOwner(2, { role: 'owner' }, 'remove')).toBe(true);
    expect(keepsAnOwner(1, { role: 'cashier' }, 'remove')).toBe(true);
  });

  it('property: allowed exactly when the company still has an owner afterwards', () => {
    const role = fc.constantFrom<Role>(...ROLES);
    const team = fc.array(role, { minLength: 1, maxLength: 8 }).filter((rs) => rs.includes('owner'));
    const change = fc.oneof(fc.constant('remove' as const), role.map((r) => ({ role: r })));
    fc.assert(
      fc.property(team, fc.nat(), change, (roles, pick, ch) => {
        const i = pick % roles.length;
        const owners = roles.filter((r) => r === 'owner').length;
        const allowed = keepsAnOwner(owners, { role: roles[i]! }, ch);
        const after = ch === 'remove' ? roles.filter((_, j) => j !== i) : roles.map((r, j) => (j === i ? ch.role : r));
        expect(allowed).toBe(after.includes('owner'));
      }),
    );
  });
});

describe('small helpers', () => {
  it('normalizes e-mails, knows time zones and currency minor units', () => {
    expect(normalizeEmail('  Awa.Diop@Example.TEST ')).toBe('awa.diop@example.test');
    expect(isTimeZone('Africa/Abidjan')).toBe(true);
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(CURRENCIES).toMatchObject({ XOF: 0, EUR: 2, TND: 3 });
    expect(CURRENCIES.ZZZ).toBeUndefined();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors.ts';
import { assertOpen, assertTransition, canTransition, checkPayment, formatReference, type SaleStatus, TRANSITIONS, taxBreakdown } from './rules.ts';

const STATUSES: SaleStatus[] = ['open', 'paid', 'cancelled', 'partially_refunded', 'refunded'];
const rate = fc.constantFrom(0, 550, 1000, 1800, 2000, 10000).chain((r) => fc.oneof(fc.constant(r), fc.integer({ min: 0, max: 10000 })));
const line = fc.record({ unitPrice: fc.integer({ min: 0, max: 10_000_000 }), quantity: fc.integer({ min: 1, max: 1000 }), taxRate: rate });
const lines = fc.array(line, { maxLength: 30 });

describe('taxBreakdown', () => {
  it('HT + TVA = TTC per rate and in total; TTC is the exact sum of lines', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const b = taxBreakdown(ls);
        const exact = ls.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
        expect(b.ttc).toBe(exact);
        expect(b.ht + b.tva).toBe(b.ttc);
        for (const r of b.byRate) {
          expect(r.ht + r.tva).toBe(r.ttc);
          const ofRate = ls.filter((l) => l.taxRate === r.rate).reduce((s, l) => s + l.unitPrice * l.quantity, 0);
          expect(r.ttc).toBe(ofRate);
        }
        expect(b.byRate.reduce((s, r) => s + r.ttc, 0)).toBe(b.ttc);
        expect(b.byRate.map((r) => r.rate)).toEqual([...new Set(ls.map((l) => l.taxRate))].sort((x, y) => x - y));
      }),
    );
  });

  it('HT is TTC × 10000 / (10000 + rate) rounded half up (within half a unit, ties up)', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        for (const r of taxBreakdown(ls).byRate) {
          // Exact rational comparison: |2·HT·d − 2·TTC·10000| ≤ d, and a tie rounds up.
          const d = 10000n + BigInt(r.rate);
          const diff = 2n * BigInt(r.ht) * d - 2n * BigInt(r.ttc) * 10000n;
          expect(diff <= d && diff > -d).toBe(true);
          expect(r.tva).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('examples: 1180 at 18 % → 1000 + 180; a rate of 0 has no TVA; nothing → zeros', () => {
    expect(taxBreakdown([{ unitPrice: 1180, quantity: 1, taxRate: 1800 }]).byRate).toEqual([{ rate: 1800, ttc: 1180, ht: 1000, tva: 180 }]);
    expect(taxBreakdown([{ unitPrice: 999, quantity: 3, taxRate: 0 }]).byRate).toEqual([{ rate: 0, ttc: 2997, ht: 2997, tva: 0 }]);
    // 1 × 10000 / 10000+10000 = 0.5 → rounds up to 1.
    expect(taxBreakdown([{ unitPrice: 1, quantity: 1, taxRate: 10000 }]).byRate).toEqual([{ rate: 10000, ttc: 1, ht: 1, tva: 0 }]);
    expect(taxBreakdown([])).toEqual({ ttc: 0, ht: 0, tva: 0, byRate: [] });
  });
});

describe('transitions', () => {
  it('assertTransition throws exactly for moves not in TRANSITIONS, naming the current status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), fc.constantFrom(...STATUSES), (from, to) => {
        const allowed = TRANSITIONS[from].includes(to);
        expect(canTransition(from, to)).toBe(allowed);
        let err: unknown = null;
        try {
          assertTransition(from, to);
        } catch (e) {
          err = e;
        }
        if (allowed) expect(err).toBeNull();
        else {
          expect(err).toBeInstanceOf(DomainError);
          expect(err).toMatchObject({ code: 'sale.illegal_transition', status: 409, params: { status: from } });
        }
      }),
    );
  });

  it('cancelled and refunded are final; open goes only to paid or cancelled', () => {
    for (const to of STATUSES) {
      expect(() => assertTransition('cancelled', to)).toThrow(DomainError);
      expect(() => assertTransition('refunded', to)).toThrow(DomainError);
    }
    expect([...TRANSITIONS.open].sort()).toEqual(['cancelled', 'paid']);
    expect(() => assertOpen('open')).not.toThrow();
    for (const s of STATUSES.filter((x) => x !== 'open')) expect(() => assertOpen(s)).toThrow(DomainError);
  });
});

describe('checkPayment', () => {
  const method = fc.constantFrom('cash' as const, 'card' as const, 'mobile_money' as const);
  const input = fc.record({
    method,
    amount: fc.integer({ min: 1, max: 1_000_000 }),
    tendered: fc.option(fc.integer({ min: 1, max: 2_000_000 }), { nil: undefined }),
    reference: fc.option(fc.constantFrom('', 'TPE-1', 'OM-42'), { nil: undefined }),
  });
  const due = fc.integer({ min: 0, max: 1_000_000 });

  it('never accepts more than due; completes iff amount = due', () => {
    fc.assert(
      fc.property(input, due, (p, d) => {
        const c = checkPayment(p, d);
        if (p.amount > d) expect(c).toEqual({ ok: false, code: 'payment.exceeds_due', due: d });
        if (c.ok) {
          expect(p.amount).toBeLessThanOrEqual(d);
          expect(c.completes).toBe(p.amount === d);
        }
      }),
    );
  });

  it('cash: change = tendered − amount, refused when tendered < amount; card/mobile money need a reference and give no change', () => {
    fc.assert(
      fc.property(input, due, (p, d) => {
        fc.pre(p.amount <= d);
        const c = checkPayment(p, d);
        if (p.method === 'cash') {
          const tendered = p.tendered ?? p.amount;
          if (tendered < p.amount) expect(c).toEqual({ ok: false, code: 'validation', field: 'tendered', reason: 'too_small' });
          else expect(c).toEqual({ ok: true, change: tendered - p.amount, completes: p.amount === d });
        } else if (!p.reference) {
          expect(c).toEqual({ ok: false, code: 'validation', field: 'reference', reason: 'required' });
        } else {
          expect(c).toEqual({ ok: true, change: 0, completes: p.amount === d });
        }
      }),
    );
  });

  it('references are V- and six digits, in number order', () => {
    expect(formatReference(1)).toBe('V-000001');
    expect(formatReference(123456)).toBe('V-123456');
    fc.assert(fc.property(fc.integer({ min: 1, max: 999_998 }), (n) => formatReference(n) < formatReference(n + 1)));
  });
});

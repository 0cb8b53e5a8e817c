import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateOf, localDateRange, startOfLocalDay } from './dates.ts';

describe('local dates', () => {
  it('starts a day at local midnight', () => {
    expect(startOfLocalDay('2026-11-21', 'Africa/Abidjan').toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(startOfLocalDay('2026-07-14', 'Europe/Paris').toISOString()).toBe('2026-07-13T22:00:00.000Z');
    expect(startOfLocalDay('2026-01-14', 'Europe/Paris').toISOString()).toBe('2026-01-13T23:00:00.000Z');
  });

  it('handles days on which the clocks change', () => {
    // Europe/Paris springs forward on 2026-03-29 and falls back on 2026-10-25.
    const spring = localDateRange('Europe/Paris', '2026-03-29', '2026-03-29');
    expect((spring.end!.getTime() - spring.start!.getTime()) / 3600_000).toBe(23);
    const autumn = localDateRange('Europe/Paris', '2026-10-25', '2026-10-25');
    expect((autumn.end!.getTime() - autumn.start!.getTime()) / 3600_000).toBe(25);
  });

  it('makes to inclusive: the range ends at the next local midnight', () => {
    const r = localDateRange('Africa/Abidjan', '2026-11-01', '2026-11-30');
    expect(r.start!.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(r.end!.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(localDateRange('UTC')).toEqual({ start: undefined, end: undefined });
  });

  it('puts every instant inside the range of its own local date', () => {
    const zones = ['Africa/Abidjan', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }),
        fc.constantFrom(...zones),
        (at, tz) => {
          const day = localDateOf(at, tz);
          const { start, end } = localDateRange(tz, day, day);
          return start!.getTime() <= at.getTime() && at.getTime() < end!.getTime();
        },
      ),
    );
  });
});

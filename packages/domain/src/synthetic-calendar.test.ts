import { describe, expect, it } from 'vitest';
import { buildCalendar, parseIsoDate } from './synthetic-calendar.ts';

describe('buildCalendar', () => {
  const calendar = buildCalendar('2026-03-01', 100, '2025-07-01');
  const indexOf = (date: string): number => calendar.dates.indexOf(date);

  it('ends on today and reaches back the requested number of years', () => {
    expect(calendar.dates[calendar.todayIndex]).toBe('2026-03-01');
    expect(calendar.dates[0]! <= '1926-03-01').toBe(true);
    expect(calendar.dates).toHaveLength(calendar.todayIndex + 1);
  });

  it('gives the exact age on today, turning a year older on the birthday', () => {
    expect(calendar.ages[indexOf('2008-03-01')]).toBe(18);
    expect(calendar.ages[indexOf('2008-03-02')]).toBe(17);
    expect(calendar.ages[indexOf('2012-02-29')]).toBe(14);
    expect(calendar.years[indexOf('1985-12-31')]).toBe(1985);
    expect(calendar.ages[calendar.todayIndex]).toBe(0);
  });

  it('marks the first observation day', () => {
    expect(calendar.dates[calendar.observedFrom]).toBe('2025-07-01');
    // Observation cannot start after today.
    const early = buildCalendar('2025-01-15', 10, '2025-07-01');
    expect(early.observedFrom).toBe(early.todayIndex);
  });
});

describe('parseIsoDate', () => {
  it('accepts real dates and rejects impossible or loosely written ones', () => {
    expect(parseIsoDate('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    for (const bad of ['2025-02-29', '2025-2-3', '01/03/2026', '']) expect(() => parseIsoDate(bad)).toThrow(RangeError);
  });
});

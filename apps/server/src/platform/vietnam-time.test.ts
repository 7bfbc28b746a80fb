import { describe, expect, it } from 'vitest';
import { vietnamDateTime, vietnamToday } from './deps.ts';

describe('Vietnam time in files', () => {
  it('writes a moment as dd/mm/yyyy HH:mm at UTC+7, on the next day after 17:00 UTC', () => {
    expect(vietnamDateTime(new Date('2026-12-03T20:20:14.652Z'))).toBe('04/12/2026 03:20');
    expect(vietnamDateTime(new Date('2026-12-31T16:59:00Z'))).toBe('31/12/2026 23:59');
    expect(vietnamDateTime(new Date('2026-12-31T17:00:00Z'))).toBe('01/01/2027 00:00');
    expect(vietnamToday(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
  });
});

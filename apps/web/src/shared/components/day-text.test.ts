import { describe, expect, it } from 'vitest';
import { formatDayText, maskDayText, parseDayText } from './day-text';

describe('a day typed as dd/mm/yyyy', () => {
  it('puts the slashes in as digits are typed, and reads dots, dashes and spaces as slashes', () => {
    expect(['0', '01', '011', '0111', '01112', '01112026', '011120269'].map(maskDayText)).toEqual([
      '0',
      '01',
      '01/1',
      '01/11',
      '01/11/2',
      '01/11/2026',
      '01/11/2026',
    ]);
    expect(maskDayText('1.11.2026')).toBe('1/11/2026');
    expect(maskDayText('1-11-2026')).toBe('1/11/2026');
    expect(maskDayText('1 / 11 / 2026')).toBe('1/11/2026');
    expect(maskDayText('ngày 01/11')).toBe('01/11');
  });

  it('keeps putting the slashes in when the digits come one at a time, and keeps a slash typed by hand', () => {
    let text = '';
    for (const key of '31122025') text = maskDayText(text + key);
    expect(text).toBe('31/12/2025');
    text = '';
    for (const key of '1/2/2026') text = maskDayText(text + key);
    expect(text).toBe('1/2/2026');
    expect(maskDayText('01/')).toBe('01/');
    expect(maskDayText('01/11/')).toBe('01/11/');
    expect(maskDayText('01/11/2026/')).toBe('01/11/2026');
  });

  it('takes a pasted 2026-11-01 as a day, and leaves a complete day being corrected in place as typed', () => {
    expect(maskDayText('2026-11-01')).toBe('01/11/2026');
    expect(maskDayText(' 2026-11-01 ')).toBe('01/11/2026');
    // A 5 typed after "01/" of 01/11/2026: kept, to be seen and corrected, not spread into the year.
    expect(maskDayText('01/511/2026')).toBe('01/511/2026');
    expect(parseDayText('01/511/2026')).toBe('');
    expect(maskDayText('01/11/20269')).toBe('01/11/2026');
  });

  it('reads day first, with or without leading zeros', () => {
    expect(parseDayText('01/11/2026')).toBe('2026-11-01');
    expect(parseDayText('1/2/2026')).toBe('2026-02-01');
    expect(parseDayText(' 29/02/2024 ')).toBe('2024-02-29');
  });

  it('gives nothing for an incomplete day or one that does not exist', () => {
    for (const text of ['', '01/11', '01/11/26', '31/02/2026', '29/02/2026', '00/01/2026', '12/13/2026', '32/01/2026', '01/01/1800'])
      expect(parseDayText(text), text).toBe('');
  });

  it('shows a stored day the same way, and round-trips', () => {
    expect(formatDayText('2026-11-01')).toBe('01/11/2026');
    expect(formatDayText('')).toBe('');
    expect(parseDayText(formatDayText('2025-07-01'))).toBe('2025-07-01');
  });
});

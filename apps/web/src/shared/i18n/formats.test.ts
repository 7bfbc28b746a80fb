import { describe, expect, it } from 'vitest';
import { dateText, dateTimeText, percentFormatter } from './formats';

describe('dates and times for the reader', () => {
  it('writes a calendar date as it is, and a moment on its day in Vietnam (UTC+7)', () => {
    expect(dateText('2026-12-03')).toBe('03/12/2026');
    // 20:27 UTC on 3 December is 03:27 on 4 December in Hà Nội and Thành phố Hồ Chí Minh.
    expect(dateText('2026-12-03T20:27:38.000Z')).toBe('04/12/2026');
    expect(dateText('2026-12-03T16:59:59Z')).toBe('03/12/2026');
    expect(dateText(null)).toBe('—');
  });

  it('writes a moment as dd/mm/yyyy HH:mm in Vietnam time, with four-digit years and padded days', () => {
    expect(dateTimeText('2026-12-03T20:20:14.652Z')).toBe('04/12/2026 03:20');
    expect(dateTimeText('2027-01-05T01:05:00Z')).toBe('05/01/2027 08:05');
    expect(dateTimeText('not a time')).toBe('not a time');
  });
});

describe('shares in per cent', () => {
  const vi = percentFormatter('vi-VN');
  const en = percentFormatter('en-GB');

  it('writes one decimal with the reader’s separator', () => {
    expect(vi(87.54)).toBe('87,5%');
    expect(en(87.54)).toBe('87.5%');
    expect(vi(100)).toBe('100%');
    expect(vi(0)).toBe('0%');
    expect(vi(null)).toBe('—');
  });

  it('never writes a share short of the whole as 100%, nor a share above nothing as 0%', () => {
    expect(vi((25_009 / 25_014) * 100)).toBe('99,98%');
    expect(vi(99.999)).toBe('99,999%');
    expect(vi(0.004)).toBe('0,004%');
    expect(vi(0.04)).toBe('0,04%');
    // 2.999.999 of 3.000.000 and 10 of 3.000.000: a city's denominators run to millions.
    expect(vi((2_999_999 / 3_000_000) * 100)).toBe('> 99,999%');
    expect(vi((10 / 3_000_000) * 100)).toBe('< 0,001%');
    expect(en(99.96)).toBe('99.96%');
  });
});

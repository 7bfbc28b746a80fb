import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyNonPersonRow,
  excelSerialToIsoDate,
  foldHeaderText,
  isoDateToExcelSerial,
  normaliseBirthDate,
  normaliseFullName,
  normaliseSex,
  stripHeaderDecorations,
} from './import-normalise.ts';
import { foldVietnamese } from './vietnamese-text.ts';

const TODAY = '2026-06-15';

function dateOf(raw: Parameters<typeof normaliseBirthDate>[0]) {
  const result = normaliseBirthDate(raw, TODAY);
  if (!result.ok) throw new Error(`expected a date from ${String(raw)}, got: ${result.reason}`);
  return result.value;
}

function reasonOf(raw: Parameters<typeof normaliseBirthDate>[0]): string {
  const result = normaliseBirthDate(raw, TODAY);
  if (result.ok) throw new Error(`expected ${String(raw)} to be rejected, got ${JSON.stringify(result.value)}`);
  return result.reason;
}

describe('normaliseBirthDate', () => {
  it('reads day/month/year with slashes, dashes and dots, with or without leading zeros', () => {
    for (const raw of ['05/03/1990', '5/3/1990', '05-03-1990', '05.03.1990', ' 5 / 3 / 1990 ', "'05/03/1990"]) {
      expect(dateOf(raw)).toEqual({ date: '1990-03-05', year: 1990 });
    }
  });

  it('always reads day before month, never the US month/day order', () => {
    expect(dateOf('03/04/1990').date).toBe('1990-04-03');
    expect(reasonOf('04/13/1990')).toContain('tháng 13');
  });

  it('reads ISO dates, with or without a time, keeping the written day', () => {
    expect(dateOf('1990-03-05').date).toBe('1990-03-05');
    expect(dateOf('1990-03-05T00:00:00.000Z').date).toBe('1990-03-05');
    expect(dateOf('1990-03-05T23:30:00+07:00').date).toBe('1990-03-05');
    expect(dateOf('1990-03-05 08:15').date).toBe('1990-03-05');
  });

  it('reads a date written out in words, as on a certificate', () => {
    expect(dateOf('Ngày 05 tháng 3 năm 1990').date).toBe('1990-03-05');
  });

  it('keeps only the year when the cell holds a year alone or a month and year', () => {
    expect(dateOf('1985')).toEqual({ date: null, year: 1985 });
    expect(dateOf(1985)).toEqual({ date: null, year: 1985 });
    expect(dateOf('03/1985')).toEqual({ date: null, year: 1985 });
  });

  it('reads Excel serial numbers, given as numbers or as text', () => {
    expect(dateOf(32874)).toEqual({ date: '1990-01-01', year: 1990 });
    expect(dateOf('32874')).toEqual({ date: '1990-01-01', year: 1990 });
    expect(dateOf(32874.75).date).toBe('1990-01-01');
    // The oldest residents: four-digit serials past 2099 are dates, not years.
    expect(dateOf(9863)).toEqual({ date: '1927-01-01', year: 1927 });
    expect(reasonOf(2027)).toContain('sau năm hiện tại');
  });

  it('takes the UTC calendar day of a Date from a spreadsheet reader', () => {
    expect(dateOf(new Date(Date.UTC(1990, 2, 5)))).toEqual({ date: '1990-03-05', year: 1990 });
    expect(dateOf(new Date('1990-03-05T23:59:00Z')).date).toBe('1990-03-05');
  });

  it('rejects days that do not exist, naming the date', () => {
    expect(reasonOf('31/02/1990')).toBe('Ngày sinh "31/02/1990" không tồn tại');
    expect(reasonOf('29/02/1900')).toContain('không tồn tại');
    expect(reasonOf('00/01/1990')).toContain('không tồn tại');
    expect(dateOf('29/02/2000').date).toBe('2000-02-29');
    expect(reasonOf(new Date(Number.NaN))).toContain('không phải ngày');
  });

  it('rejects dates after today and years before 1900', () => {
    expect(reasonOf('16/06/2026')).toContain('sau ngày hôm nay');
    expect(dateOf('15/06/2026').date).toBe('2026-06-15');
    expect(reasonOf('2027')).toContain('sau năm hiện tại');
    expect(reasonOf('1899')).toContain('trước 1900');
    expect(reasonOf('31/12/1899')).toContain('trước 1900');
    expect(reasonOf(isoDateToExcelSerial('2026-06-16'))).toContain('sau ngày hôm nay');
  });

  it('rejects two-digit years as ambiguous', () => {
    expect(reasonOf('05/03/90')).toContain('2 chữ số');
    expect(reasonOf('90')).toContain('2 chữ số');
    expect(reasonOf(85)).toContain('2 chữ số');
  });

  it('rejects empty cells and text that is not a date', () => {
    expect(reasonOf('')).toBe('Chưa nhập ngày sinh');
    expect(reasonOf('   ')).toBe('Chưa nhập ngày sinh');
    expect(reasonOf(null)).toBe('Chưa nhập ngày sinh');
    expect(reasonOf(undefined)).toBe('Chưa nhập ngày sinh');
    expect(reasonOf('không rõ')).toContain('"không rõ"');
    expect(reasonOf('123')).toContain('không phải');
  });

  it('refuses a malformed today, which is a programming error', () => {
    expect(() => normaliseBirthDate('01/01/1990', '15/06/2026')).toThrow(RangeError);
  });

  const validDate = fc
    .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2026, 5, 15)), noInvalidDate: true })
    .map((date) => ({
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      iso: date.toISOString().slice(0, 10),
    }));
  const two = (value: number) => String(value).padStart(2, '0');

  it('round-trips any valid date written as dd/mm/yyyy, d/m/yyyy and ISO', () => {
    fc.assert(
      fc.property(validDate, ({ year, month, day, iso }) => {
        for (const written of [`${two(day)}/${two(month)}/${year}`, `${day}/${month}/${year}`, iso]) {
          expect(normaliseBirthDate(written, TODAY)).toEqual({ ok: true, value: { date: iso, year } });
        }
      }),
    );
  });

  it('round-trips any valid date from 1906 on written as an Excel serial', () => {
    // Serials of 1900–1905 are four-digit numbers that read as years; see fromNumber.
    const laterDate = validDate.filter(({ year }) => year >= 1906);
    fc.assert(
      fc.property(laterDate, ({ year, iso }) => {
        const serial = isoDateToExcelSerial(iso);
        expect(excelSerialToIsoDate(serial)).toBe(iso);
        expect(normaliseBirthDate(serial, TODAY)).toEqual({ ok: true, value: { date: iso, year } });
        expect(normaliseBirthDate(String(serial), TODAY)).toEqual({ ok: true, value: { date: iso, year } });
      }),
    );
  });

  it('never throws on arbitrary strings or numbers', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[\d/.\- :T]{0,24}$/), fc.double()), (raw) => {
        const result = normaliseBirthDate(raw, TODAY);
        if (result.ok) expect(result.value.year).toBeGreaterThanOrEqual(1900);
        else expect(result.reason.length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('excelSerialToIsoDate', () => {
  it('handles the 1900 leap-year bug: serial 60 is the fake 29 February 1900', () => {
    expect(excelSerialToIsoDate(1)).toBe('1900-01-01');
    expect(excelSerialToIsoDate(59)).toBe('1900-02-28');
    expect(excelSerialToIsoDate(60)).toBeNull();
    expect(excelSerialToIsoDate(61)).toBe('1900-03-01');
    expect(excelSerialToIsoDate(32874)).toBe('1990-01-01');
    expect(excelSerialToIsoDate(0)).toBeNull();
  });
});

describe('normaliseSex', () => {
  it('accepts Nam and Nữ in any case, with or without diacritics', () => {
    for (const raw of ['Nam', 'nam', 'NAM', ' Nam ']) expect(normaliseSex(raw)).toEqual({ ok: true, value: 'male' });
    for (const raw of ['Nữ', 'nữ', 'NỮ', 'nu', 'Nu', 'NU', 'Nữ'.normalize('NFD')]) {
      expect(normaliseSex(raw)).toEqual({ ok: true, value: 'female' });
    }
  });

  it('accepts M/F and male/female', () => {
    expect(normaliseSex('M')).toEqual({ ok: true, value: 'male' });
    expect(normaliseSex('f')).toEqual({ ok: true, value: 'female' });
    expect(normaliseSex('Male')).toEqual({ ok: true, value: 'male' });
    expect(normaliseSex('FEMALE')).toEqual({ ok: true, value: 'female' });
  });

  it('refuses 1 and 0, whose meaning differs between offices', () => {
    for (const raw of ['1', '0', 1, 0]) {
      const result = normaliseSex(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain('không rõ là Nam hay Nữ');
    }
  });

  it('rejects empty and unknown values, naming them', () => {
    expect(normaliseSex('')).toEqual({ ok: false, reason: 'Chưa nhập giới tính' });
    expect(normaliseSex(null)).toEqual({ ok: false, reason: 'Chưa nhập giới tính' });
    expect(normaliseSex('Khác')).toEqual({ ok: false, reason: 'Giới tính "Khác" không rõ; cần ghi Nam hoặc Nữ' });
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), (raw) => {
        expect(typeof normaliseSex(raw).ok).toBe('boolean');
      }),
    );
  });
});

describe('normaliseFullName', () => {
  it('stores the name capitalised with single spaces', () => {
    expect(normaliseFullName('  nguyễn   THỊ ánh ')).toEqual({ ok: true, value: 'Nguyễn Thị Ánh' });
    expect(normaliseFullName("h'hen niê")).toEqual({ ok: true, value: "H'Hen Niê" });
  });

  it('rejects empty names, digits, stray symbols and single letters', () => {
    expect(normaliseFullName('  ')).toEqual({ ok: false, reason: 'Chưa nhập họ tên' });
    expect(normaliseFullName(undefined)).toEqual({ ok: false, reason: 'Chưa nhập họ tên' });
    expect(normaliseFullName('Nguyễn Văn 2')).toEqual({ ok: false, reason: 'Họ tên "Nguyễn Văn 2" có chữ số' });
    expect(normaliseFullName('Trần Văn A / Lê Thị B').ok).toBe(false);
    expect(normaliseFullName('A')).toEqual({ ok: false, reason: 'Họ tên "A" chỉ có một chữ cái' });
    expect(normaliseFullName('--').ok).toBe(false);
  });

  it('rejects names longer than 120 characters', () => {
    const long = Array.from({ length: 25 }, () => 'Nguyễn').join(' ');
    expect(long.length).toBeGreaterThan(120);
    const result = normaliseFullName(long);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain('quá 120');
    expect(normaliseFullName('Nguyễn '.repeat(17).trim()).ok).toBe(true);
  });
});

describe('foldHeaderText', () => {
  it('sees through numbering, stars, line breaks and punctuation', () => {
    expect(foldHeaderText('1. Họ và tên (*)')).toBe('ho va ten');
    expect(foldHeaderText('Số CCCD/\nCMND')).toBe('so cccd cmnd');
    expect(foldHeaderText('  NGÀY  SINH* ')).toBe('ngay sinh');
  });

  it('gives plain letters, digits and spaces as they fold, exactly as the rules would', () => {
    const pieces = fc.constantFrom(...'aĐđôƯ09 Z'.split(''), '1. ', 'a) ', 'ii-', '(*)', '*', '/', '\n', '  ', 'Họ và tên', 'STT', 'i');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        expect(foldHeaderText(text)).toBe(stripHeaderDecorations(foldVietnamese(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent, like foldVietnamese beneath it', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(foldVietnamese(foldVietnamese(text))).toBe(foldVietnamese(text));
        expect(foldHeaderText(foldHeaderText(text))).toBe(foldHeaderText(text));
      }),
    );
  });
});

describe('classifyNonPersonRow', () => {
  const header = ['STT', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Địa chỉ'];

  it('finds blank rows', () => {
    expect(classifyNonPersonRow(['', '  ', '\t', '', ''], header)).toBe('blank');
    expect(classifyNonPersonRow([], header)).toBe('blank');
  });

  it('finds totals rows by their label and numbers', () => {
    expect(classifyNonPersonRow(['', 'Tổng cộng', '', '', '45'], header)).toBe('total');
    expect(classifyNonPersonRow(['TONG CONG:', '', '', '', ''], header)).toBe('total');
    expect(classifyNonPersonRow(['Cộng', '12', '1.250', '', ''], header)).toBe('total');
    expect(classifyNonPersonRow(['', 'Tổng số: 45 người', '', '', ''], header)).toBe('total');
    expect(classifyNonPersonRow(['Tổng cộng', '8 người', '', '', ''], header)).toBe('total');
    expect(classifyNonPersonRow(['Tổng cộng', 'Nguyễn Văn Tám', '', '', ''], header)).toBeNull();
    expect(classifyNonPersonRow(['Tổng', '45'], header)).toBe('total');
  });

  it('does not take a person named Tống for a total', () => {
    expect(classifyNonPersonRow(['3', 'Tống Văn Bình', '01/02/1980', 'Nam', 'KP 3'], header)).toBeNull();
    expect(classifyNonPersonRow(['Tổng cộng', 'Nguyễn Văn A', '01/02/1980', 'Nam', 'KP 3'], header)).toBeNull();
  });

  it('finds a header repeated on a later page, even typed slightly differently', () => {
    expect(classifyNonPersonRow(['STT', 'HỌ VÀ TÊN', 'Ngày sinh', 'Giới tính', 'Địa chỉ'], header)).toBe('header');
    expect(classifyNonPersonRow(['1', 'Họ và tên (*)', 'Ngày sinh', '', ''], header)).toBe('header');
  });

  it('leaves ordinary person rows alone', () => {
    expect(classifyNonPersonRow(['1', 'Nguyễn Văn An', '01/02/1980', 'Nam', '12 Lê Lợi'], header)).toBeNull();
    // One matching cell among four is not a header.
    expect(classifyNonPersonRow(['STT', 'Nguyễn Văn An', '01/02/1980', 'Nam'], header)).toBeNull();
  });
});

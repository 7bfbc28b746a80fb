import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldByNormalising, foldVietnamese, normalisePersonName } from './vietnamese-text.ts';

describe('foldVietnamese', () => {
  it('lower-cases and strips every diacritic', () => {
    expect(foldVietnamese('Nguyễn Văn A')).toBe('nguyen van a');
    expect(foldVietnamese('Huỳnh Thị Ngọc Trâm')).toBe('huynh thi ngoc tram');
    expect(foldVietnamese('Phường Bến Thành, Quận 1')).toBe('phuong ben thanh, quan 1');
  });

  it('turns đ and Đ into d and collapses runs of whitespace', () => {
    expect(foldVietnamese('ĐẶNG  Thị   Hoà')).toBe('dang thi hoa');
    expect(foldVietnamese('  đỗ\tĐức\n ')).toBe('do duc');
  });

  it('gives the same key for precomposed and decomposed input', () => {
    const nfc = 'Trần Thị Ánh Tuyết'.normalize('NFC');
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    expect(foldVietnamese(nfd)).toBe(foldVietnamese(nfc));
  });

  it('matches the old and new tone placements', () => {
    expect(foldVietnamese('Hoà')).toBe(foldVietnamese('Hòa'));
    expect(foldVietnamese('Thuỵ')).toBe(foldVietnamese('Thụy'));
  });

  it('is idempotent', () => {
    for (const text of ['ĐẶNG  Thị   Hoà', 'Nguyễn Ngọc Ẩn', 'Ksor H’Bơ', '']) {
      const once = foldVietnamese(text);
      expect(foldVietnamese(once)).toBe(once);
    }
  });

  it('folds one code point at a time exactly as the definition folds the whole text', () => {
    // Vietnamese in both forms, every kind of space, marks alone, and what makes the fast path
    // give up (Greek with its final sigma, Cyrillic, an emoji's surrogate pair, a rarer mark).
    const pieces = fc.constantFrom(
      ...'aĂâĐđêÊôƠưƯỳỸỹẠặÀÁÃẢ'.split(''), 'Hoà'.normalize('NFD'), '\u0301', '\u0323', '\u0306',
      ' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u3000', '\ufeff',
      ...'Zz09.,-/()ÆØßĲİıǄǅ'.split(''), 'ΟΔΟΣ', 'й', '😀', '\u1dc4', '\u0085',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        expect(foldVietnamese(text)).toBe(foldByNormalising(text));
      }),
      { numRuns: 3000 },
    );
    expect(foldVietnamese('ΟΔΟΣ ĐÀ')).toBe('οδος da');
  });
});

describe('normalisePersonName', () => {
  it('title-cases each word, keeping diacritics on the capital', () => {
    expect(normalisePersonName('nguyễn THỊ ánh')).toBe('Nguyễn Thị Ánh');
    expect(normalisePersonName('đỗ văn đức')).toBe('Đỗ Văn Đức');
    expect(normalisePersonName('ỨNG   ÂU   ơn')).toBe('Ứng Âu Ơn');
  });

  it('recomposes decomposed input to NFC', () => {
    const result = normalisePersonName('trần thị ánh'.normalize('NFD'));
    expect(result).toBe('Trần Thị Ánh');
    expect(result).toBe(result.normalize('NFC'));
  });

  it('trims and collapses spaces', () => {
    expect(normalisePersonName('  lê \t văn   tám ')).toBe('Lê Văn Tám');
  });

  it('capitalises the letter after an apostrophe, as in Central Highlands names', () => {
    expect(normalisePersonName("h'hen niê")).toBe("H'Hen Niê");
  });

  it('is idempotent', () => {
    const once = normalisePersonName('đặng  thị HOÀ');
    expect(normalisePersonName(once)).toBe(once);
  });
});

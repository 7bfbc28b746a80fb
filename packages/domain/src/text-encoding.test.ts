import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  TCVN3_TO_UNICODE,
  VNI_TO_UNICODE,
  convertLegacyVietnamese,
  createDecoder,
  detectAndDecode,
  detectLegacyVietnamese,
} from './text-encoding.ts';

// ---- encoders for tests: the inverse of the conversion tables ----

const TCVN3_FROM_UNICODE = new Map([...TCVN3_TO_UNICODE].map(([k, v]) => [v, k]));
const VNI_FROM_UNICODE = new Map<string, string>();
for (const [k, v] of VNI_TO_UNICODE) {
  // Prefer the shortest spelling (single characters such as ô = ơ over nothing else).
  const prev = VNI_FROM_UNICODE.get(v);
  if (prev === undefined || k.length < prev.length) VNI_FROM_UNICODE.set(v, k);
}

function encodeTcvn3(text: string): string {
  return [...text.normalize('NFC')]
    .map((ch) => TCVN3_FROM_UNICODE.get(ch) ?? TCVN3_FROM_UNICODE.get(ch.toLowerCase()) ?? ch)
    .join('');
}
function encodeVni(text: string): string {
  return [...text.normalize('NFC')].map((ch) => VNI_FROM_UNICODE.get(ch) ?? ch).join('');
}

// All Vietnamese vowels with the five tones, and đ.
const BASES = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
const TONES = ['', '\u0301', '\u0300', '\u0309', '\u0303', '\u0323'];
const LOWER_LETTERS = [...BASES.flatMap((b) => TONES.map((t) => (b + t).normalize('NFC'))), 'đ'];
const UPPER_LETTERS = LOWER_LETTERS.map((l) => l.toUpperCase());
const ASCII_LOWER = 'bcdghklmnpqrstvx'.split('');
const ASCII_UPPER = ASCII_LOWER.map((c) => c.toUpperCase());

/** Windows-1252 characters of raw bytes (what Excel shows for a legacy-font cell). */
function latin1(bytes: number[]): string {
  return String.fromCharCode(...bytes);
}

describe('detectAndDecode', () => {
  const text = 'Họ tên,Ngày sinh\nNguyễn Văn Ánh,1990-01-02\n';
  it('reads UTF-8 with and without BOM', () => {
    const bytes = new TextEncoder().encode(text);
    expect(detectAndDecode(bytes)).toEqual({ text, encoding: 'utf-8' });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    expect(detectAndDecode(bom)).toEqual({ text, encoding: 'utf-8-bom' });
  });
  it('reads UTF-16 LE/BE with BOM and without', () => {
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(detectAndDecode(new Uint8Array([0xff, 0xfe, ...le]))).toEqual({ text, encoding: 'utf-16le' });
    expect(detectAndDecode(new Uint8Array([0xfe, 0xff, ...be]))).toEqual({ text, encoding: 'utf-16be' });
    expect(detectAndDecode(le)).toEqual({ text, encoding: 'utf-16le' });
    expect(detectAndDecode(be)).toEqual({ text, encoding: 'utf-16be' });
  });
  it('falls back to Windows-1258 and composes its combining tones (NFC)', () => {
    // "Nguyễn Văn" in Windows-1258: ê (0xEA) + combining tilde (0xDE), ă = 0xE3.
    const bytes = new Uint8Array([...Buffer.from('Nguy'), 0xea, 0xde, ...Buffer.from('n V'), 0xe3, ...Buffer.from('n')]);
    const out = detectAndDecode(bytes);
    expect(out.encoding).toBe('windows-1258');
    expect(out.text).toBe('Nguyễn Văn');
    expect(out.text).toBe(out.text.normalize('NFC'));
  });
});

describe('createDecoder', () => {
  it('decodes chunk by chunk, across split sequences and split base+mark pairs', () => {
    const text = 'Phường Bến Nghé, Thành phố Hồ Chí Minh\n'.repeat(50);
    const bytes = new TextEncoder().encode(text.normalize('NFD'));
    for (const size of [1, 2, 3, 7, 64]) {
      const decoder = createDecoder(bytes.subarray(0, 4096));
      expect(decoder.encoding).toBe('utf-8');
      let out = '';
      for (let i = 0; i < bytes.length; i += size) out += decoder.decode(bytes.subarray(i, i + size));
      out += decoder.decode(new Uint8Array(0), true);
      expect(out).toBe(text.normalize('NFC'));
    }
  });
  it('holds back a Windows-1258 base letter whose tone arrives in the next chunk', () => {
    const bytes = new Uint8Array([...Buffer.from('Nguy'), 0xea, 0xde, ...Buffer.from('n')]);
    const decoder = createDecoder(bytes);
    expect(decoder.encoding).toBe('windows-1258');
    const a = decoder.decode(bytes.subarray(0, 5));
    const b = decoder.decode(bytes.subarray(5), true);
    expect(a + b).toBe('Nguyễn');
  });
  it('decides UTF-8 even when the first chunk ends inside a sequence', () => {
    const bytes = new TextEncoder().encode('aaaễ');
    expect(createDecoder(bytes.subarray(0, 5)).encoding).toBe('utf-8');
  });
});

describe('legacy Vietnamese: TCVN3', () => {
  it('matches the classic examples', () => {
    expect(convertLegacyVietnamese('NguyÔn V¨n', 'tcvn3')).toBe('Nguyễn Văn');
    expect(convertLegacyVietnamese('§µ N½ng', 'tcvn3')).toBe('Đà Nẵng');
    expect(convertLegacyVietnamese('Hå ChÝ Minh', 'tcvn3')).toBe('Hồ Chí Minh');
    expect(convertLegacyVietnamese(latin1([0x4e, 0x67, 0xad, 0xea, 0x69]), 'tcvn3')).toBe('Người');
  });
  it('round-trips known words', () => {
    for (const word of ['Phường Bến Nghé', 'Thành phố Hồ Chí Minh', 'Đặng Thị Hoà', 'Nguyễn Văn Ánh'.toUpperCase()]) {
      expect(convertLegacyVietnamese(encodeTcvn3(word), 'tcvn3')).toBe(word);
    }
    // VN3 has no toned capitals: a lone Á is written with the lower-case code.
    expect(convertLegacyVietnamese(encodeTcvn3('Nguyễn Văn Ánh'), 'tcvn3')).toBe('Nguyễn Văn ánh');
  });
  it('has every lower-case toned letter and the plain capitals', () => {
    for (const l of LOWER_LETTERS) {
      if (/^[aeiouy]$/.test(l)) continue;
      expect(TCVN3_FROM_UNICODE.has(l), l).toBe(true);
    }
    for (const c of ['Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ']) expect(TCVN3_FROM_UNICODE.has(c), c).toBe(true);
  });
  it('convert(encode(x)) === x for generated text', () => {
    const definiteUpper = fc.constantFrom(...ASCII_UPPER, 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ');
    const lowerChar = fc.constantFrom(...ASCII_LOWER, ...LOWER_LETTERS);
    const lowerWord = fc.array(lowerChar, { minLength: 1, maxLength: 7 }).map((a) => a.join(''));
    const capitalised = fc.tuple(definiteUpper, lowerWord).map(([a, b]) => a + b);
    const upperWord = fc
      .tuple(definiteUpper, definiteUpper, fc.array(fc.constantFrom(...ASCII_UPPER, ...UPPER_LETTERS), { maxLength: 6 }))
      .map(([a, b, rest]) => a + b + rest.join(''));
    const word = fc.oneof(lowerWord, capitalised, upperWord, fc.constantFrom('123', '0901', '-', ','));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), (words) => {
        const text = words.join(' ');
        expect(convertLegacyVietnamese(encodeTcvn3(text), 'tcvn3')).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('legacy Vietnamese: VNI', () => {
  it('matches the classic example', () => {
    expect(convertLegacyVietnamese('Nguyeãn Vaên A', 'vni')).toBe('Nguyễn Văn A');
    expect(convertLegacyVietnamese('Thaønh phoá Hoà Chí Minh', 'vni')).toBe('Thành phố Hồ Chí Minh');
  });
  it('round-trips known words', () => {
    for (const word of ['Nguyễn Văn Ánh', 'Phường Bến Nghé', 'Thành phố Hồ Chí Minh', 'Đặng Thị Hoà', 'ĐẶNG THỊ HOÀ']) {
      expect(convertLegacyVietnamese(encodeVni(word), 'vni')).toBe(word);
    }
  });
  it('encodes every letter in both cases', () => {
    for (const l of [...LOWER_LETTERS, ...UPPER_LETTERS]) {
      if (/^[aeiouyAEIOUY]$/.test(l)) continue;
      expect(VNI_FROM_UNICODE.has(l), l).toBe(true);
    }
  });
  it('convert(encode(x)) === x for generated text', () => {
    const ch = fc.constantFrom(...ASCII_LOWER, ...ASCII_UPPER, ...LOWER_LETTERS, ...UPPER_LETTERS, 'a', 'E', 'o', 'y');
    const word = fc.array(ch, { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.constantFrom('42', '0901234567', '.')), { minLength: 1, maxLength: 12 }), (words) => {
        const text = words.join(' ');
        expect(convertLegacyVietnamese(encodeVni(text), 'vni')).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('detectLegacyVietnamese', () => {
  const sentences = [
    'Nguyễn Văn Ánh, Phường Bến Nghé, Thành phố Hồ Chí Minh',
    'Đặng Thị Hoà sinh ngày 12/03/1985, cư trú tại Quận 1',
    'Danh sách người dân tham gia chiến dịch công dân số',
  ];
  it('finds TCVN3 and VNI', () => {
    for (const s of sentences) {
      expect(detectLegacyVietnamese(encodeTcvn3(s)), s).toBe('tcvn3');
      expect(detectLegacyVietnamese(encodeVni(s)), s).toBe('vni');
    }
    expect(detectLegacyVietnamese('Nguyeãn Vaên A')).toBe('vni');
    expect(detectLegacyVietnamese('NguyÔn V¨n A')).toBe('tcvn3');
  });
  it('stays silent on Unicode Vietnamese, English, numbers and Western European text', () => {
    for (const s of [
      ...sentences,
      ...sentences.map((x) => x.normalize('NFD')),
      ...sentences.map((x) => x.toUpperCase()),
      'The quick brown fox jumps over the lazy dog',
      '0901234567, 079123456789, 1990-01-02, 3.14',
      'Café crème à la française, señor Muñoz, Zürich',
      '',
    ]) {
      expect(detectLegacyVietnamese(s), s).toBeNull();
    }
  });
  it('never fires on generated Unicode Vietnamese', () => {
    const ch = fc.constantFrom(...ASCII_LOWER, ...LOWER_LETTERS, ...UPPER_LETTERS, ' ');
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 60 }), (a) => {
        expect(detectLegacyVietnamese(a.join(''))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

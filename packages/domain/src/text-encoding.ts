/**
 * Character-encoding detection for files offices send us (CSV exports from Excel, old
 * Windows tools): UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), Windows-1258,
 * and the legacy Vietnamese font encodings TCVN3 (ABC) and VNI whose text, once decoded as a
 * Windows code page, looks like Latin-1 garbage ("NguyÔn V¨n", "Nguyeãn Vaên").
 *
 * Pure functions, no I/O. Output is always Unicode NFC.
 */

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1258';
export type LegacyVietnameseEncoding = 'tcvn3' | 'vni';

const SNIFF_BYTES = 64 * 1024;

function hasPrefix(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

/** UTF-16 without a BOM: Latin/Vietnamese text has a zero byte in almost every other position. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

function isValidUtf8(bytes: Uint8Array, allowTruncatedEnd: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: allowTruncatedEnd });
    return true;
  } catch {
    return false;
  }
}

function chooseEncoding(bytes: Uint8Array, allowTruncatedEnd: boolean): TextEncodingName {
  if (hasPrefix(bytes, [0xef, 0xbb, 0xbf])) return 'utf-8-bom';
  if (hasPrefix(bytes, [0xff, 0xfe])) return 'utf-16le';
  if (hasPrefix(bytes, [0xfe, 0xff])) return 'utf-16be';
  const utf16 = sniffUtf16(bytes);
  if (utf16) return utf16;
  if (isValidUtf8(bytes, allowTruncatedEnd)) return 'utf-8';
  return 'windows-1258';
}

function whatwgLabel(encoding: TextEncodingName): string {
  return encoding === 'utf-8-bom' ? 'utf-8' : encoding;
}

/** Decode a whole file: BOM, then UTF-16 zero-byte pattern, then strict UTF-8, else Windows-1258. NFC output. */
export function detectAndDecode(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const encoding = chooseEncoding(bytes, false);
  // TextDecoder drops a leading BOM of its own encoding (ignoreBOM defaults to false).
  const text = new TextDecoder(whatwgLabel(encoding)).decode(bytes).normalize('NFC');
  return { text, encoding };
}

const MARK = /\p{M}/u;

/**
 * Index where the tail that NFC might still change begins: the last character that is not a
 * combining mark (a base letter, which a mark in the next chunk could combine with) and the
 * marks after it. Returns text.length when there is nothing to hold back.
 */
function nfcSafeSplit(text: string): number {
  let i = text.length;
  while (i > 0) {
    const code = text.charCodeAt(i - 1);
    let start = i - 1;
    if (code >= 0xdc00 && code <= 0xdfff && start > 0) {
      const hi = text.charCodeAt(start - 1);
      if (hi >= 0xd800 && hi <= 0xdbff) start--;
    }
    const ch = text.slice(start, i);
    i = start;
    if (!MARK.test(ch)) return i;
  }
  return 0;
}

export interface StreamingDecoder {
  readonly encoding: TextEncodingName;
  /** Decode the next chunk; pass final = true with (or after) the last chunk to flush. */
  decode(chunk: Uint8Array, final?: boolean): string;
}

/**
 * A chunk-by-chunk decoder for big files. The encoding is decided from `firstChunk` (give it at
 * least 64 KiB when the file has that much); the first chunk is only inspected, so pass it to
 * `decode` as well. Multi-byte sequences split across chunks are handled by the TextDecoder
 * (`stream: true`); NFC is applied per chunk, holding back the trailing base letter and its
 * marks so a base letter is never separated from a combining mark in the next chunk.
 *
 * Only the first chunk is validated: if later bytes are invalid UTF-8 they decode to U+FFFD.
 * A caller holding the whole file can check with `isUtf8Throughout` and pass an override.
 */
export function createDecoder(firstChunk: Uint8Array, encodingOverride?: TextEncodingName): StreamingDecoder {
  const sniff = firstChunk.length > SNIFF_BYTES * 4 ? firstChunk.subarray(0, SNIFF_BYTES * 4) : firstChunk;
  const encoding = encodingOverride ?? chooseEncoding(sniff, true);
  const decoder = new TextDecoder(whatwgLabel(encoding));
  let pending = '';
  return {
    encoding,
    decode(chunk: Uint8Array, final = false): string {
      const text = pending + decoder.decode(chunk, { stream: !final });
      if (final) {
        pending = '';
        return text.normalize('NFC');
      }
      const split = nfcSafeSplit(text);
      pending = text.slice(split);
      return text.slice(0, split).normalize('NFC');
    },
  };
}

/** Whether all of `bytes` is valid UTF-8, checked chunk by chunk (no whole-file string). */
export function isUtf8Throughout(bytes: Uint8Array, chunkBytes = SNIFF_BYTES): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
      decoder.decode(bytes.subarray(offset, offset + chunkBytes), { stream: true });
    }
    decoder.decode(new Uint8Array(0));
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Legacy Vietnamese font encodings.
//
// Both are "font hacks": bytes are Windows code-page bytes, and a special font draws them as
// Vietnamese letters. Excel stores such text as the Windows-1252 characters of those bytes, and
// a CSV read as Windows-1252 gives the same characters. The tables below are therefore keyed by
// Windows-1252 characters (U+00A1–U+00FF here, identical to Latin-1 in that range).
// ---------------------------------------------------------------------------------------------

/**
 * TCVN 5712:1993 VN3 ("TCVN3", "ABC"; fonts .VnTime, .VnArial…): one byte per letter. VN3 has
 * only lower-case toned letters; capitals with tones are typed with the capital fonts
 * (.VnTimeH…) using the same lower-case codes, so they cannot be told apart from lower case.
 */
const TCVN3_TABLE: ReadonlyArray<readonly [number, string]> = [
  [0xa1, 'Ă'], [0xa2, 'Â'], [0xa3, 'Ê'], [0xa4, 'Ô'], [0xa5, 'Ơ'], [0xa6, 'Ư'], [0xa7, 'Đ'],
  [0xa8, 'ă'], [0xa9, 'â'], [0xaa, 'ê'], [0xab, 'ô'], [0xac, 'ơ'], [0xad, 'ư'], [0xae, 'đ'],
  [0xb5, 'à'], [0xb6, 'ả'], [0xb7, 'ã'], [0xb8, 'á'], [0xb9, 'ạ'],
  [0xbb, 'ằ'], [0xbc, 'ẳ'], [0xbd, 'ẵ'], [0xbe, 'ắ'], [0xc6, 'ặ'],
  [0xc7, 'ầ'], [0xc8, 'ẩ'], [0xc9, 'ẫ'], [0xca, 'ấ'], [0xcb, 'ậ'],
  [0xcc, 'è'], [0xce, 'ẻ'], [0xcf, 'ẽ'], [0xd0, 'é'], [0xd1, 'ẹ'],
  [0xd2, 'ề'], [0xd3, 'ể'], [0xd4, 'ễ'], [0xd5, 'ế'], [0xd6, 'ệ'],
  [0xd7, 'ì'], [0xd8, 'ỉ'], [0xdc, 'ĩ'], [0xdd, 'í'], [0xde, 'ị'],
  [0xdf, 'ò'], [0xe1, 'ỏ'], [0xe2, 'õ'], [0xe3, 'ó'], [0xe4, 'ọ'],
  [0xe5, 'ồ'], [0xe6, 'ổ'], [0xe7, 'ỗ'], [0xe8, 'ố'], [0xe9, 'ộ'],
  [0xea, 'ờ'], [0xeb, 'ở'], [0xec, 'ỡ'], [0xed, 'ớ'], [0xee, 'ợ'],
  [0xef, 'ù'], [0xf1, 'ủ'], [0xf2, 'ũ'], [0xf3, 'ú'], [0xf4, 'ụ'],
  [0xf5, 'ừ'], [0xf6, 'ử'], [0xf7, 'ữ'], [0xf8, 'ứ'], [0xf9, 'ự'],
  [0xfa, 'ỳ'], [0xfb, 'ỷ'], [0xfc, 'ỹ'], [0xfd, 'ý'], [0xfe, 'ỵ'],
];

/** TCVN3: Windows-1252 character → Unicode letter. Exported for tests and encoders. */
export const TCVN3_TO_UNICODE: ReadonlyMap<string, string> = new Map(
  TCVN3_TABLE.map(([byte, letter]) => [String.fromCharCode(byte), letter]),
);

/**
 * VNI Windows (fonts VNI-Times…): a base letter followed by a mark character. Two-character
 * sequences (lower case; upper case uses the upper-case mark characters):
 *   tones after a vowel:   ù acute, ø grave, û hook, õ tilde, ï dot below
 *   â circumflex (aâ, eâ, oâ), ê breve (aê);
 *   circumflex + tone:     á acute, à grave, å hook, ã tilde, ä dot
 *   breve + tone:          é acute, è grave, ú hook, ü tilde, ë dot
 * Single characters: ô = ơ, ö = ư, ñ = đ, í ì æ ó ò = í ì ỉ ĩ ị, î = ỵ (and their capitals).
 */
function buildVniTable(): Map<string, string> {
  const table = new Map<string, string>();
  const tones = ['', '\u0301', '\u0300', '\u0309', '\u0303', '\u0323'] as const; // none, acute, grave, hook, tilde, dot
  const toneMark = ['', 'ù', 'ø', 'û', 'õ', 'ï'] as const;
  const circumflexTone = ['â', 'á', 'à', 'å', 'ã', 'ä'] as const;
  const breveTone = ['ê', 'é', 'è', 'ú', 'ü', 'ë'] as const;
  const add = (vni: string, unicodeLower: string): void => {
    const lower = unicodeLower.normalize('NFC');
    table.set(vni, lower);
    table.set(vni.toUpperCase(), lower.toUpperCase());
  };
  for (let t = 1; t < 6; t++) {
    for (const v of ['a', 'e', 'o', 'u', 'y']) add(v + toneMark[t]!, v + tones[t]!);
    add('ô' + toneMark[t]!, 'ơ' + tones[t]!);
    add('ö' + toneMark[t]!, 'ư' + tones[t]!);
  }
  for (let t = 0; t < 6; t++) {
    for (const v of ['a', 'e', 'o']) add(v + circumflexTone[t]!, v + '\u0302' + tones[t]!);
    add('a' + breveTone[t]!, 'a\u0306' + tones[t]!);
  }
  add('ô', 'ơ');
  add('ö', 'ư');
  add('ñ', 'đ');
  add('í', 'í');
  add('ì', 'ì');
  add('æ', 'ỉ');
  add('ó', 'ĩ');
  add('ò', 'ị');
  add('î', 'ỵ');
  return table;
}

/** VNI: one- or two-character Windows-1252 sequence → Unicode letter. Exported for tests and encoders. */
export const VNI_TO_UNICODE: ReadonlyMap<string, string> = buildVniTable();

const UNICODE_VIETNAMESE = /[ăâđêôơưĂÂĐÊÔƠƯ\u1ea0-\u1ef9\u0300\u0301\u0303\u0309\u0323]/u;
const TOKEN_OR_UNICODE = /[A-Za-z\u00a1-\u00ff\p{L}\p{M}]+/gu;
const INITIALS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr', 'b', 'c', 'd', 'đ', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'x', ''];
const FINALS = ['ch', 'ng', 'nh', 'c', 'm', 'n', 'p', 't', ''];
// Vowel nuclei with their vowel-quality marks (tones removed): those that take a final consonant…
const CLOSABLE_NUCLEI = new Set(
  'a ă â e ê i o ô ơ u ư y iê yê uô ươ oa oă oe uâ uê uy uyê oo ua'.split(' '),
);
// …and those ending in a glide, which end the syllable.
const OPEN_NUCLEI = new Set(
  'ai ao au âu ay ây eo êu ia iu oi ôi ơi ui ưi ưu ưa uôi ươi ươu iêu yêu oai oay oao oeo uây uya uyu uơ'.split(' '),
);
const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/gu;

/** A well-formed Vietnamese syllable: initial consonant, a real vowel nucleus, final; at most one tone. */
function looksLikeVietnameseSyllable(word: string): boolean {
  const nfd = word.toLowerCase().normalize('NFD');
  if ((nfd.match(TONE_MARKS) ?? []).length > 1) return false;
  const plain = nfd.replace(TONE_MARKS, '').normalize('NFC');
  if (!/^[a-zăâđêôơư]+$/u.test(plain)) return false;
  for (const initial of INITIALS) {
    if (!plain.startsWith(initial)) continue;
    for (const final of FINALS) {
      if (!plain.endsWith(final) || plain.length < initial.length + final.length + 1) continue;
      const nucleus = plain.slice(initial.length, plain.length - final.length);
      if (CLOSABLE_NUCLEI.has(nucleus) || (final === '' && OPEN_NUCLEI.has(nucleus))) return true;
    }
  }
  return false;
}

function convertTcvn3(text: string): string {
  const converted = [...text].map((ch) => TCVN3_TO_UNICODE.get(ch) ?? ch).join('');
  // Capitals with tones share the lower-case codes (typed with the .VnTimeH capital fonts):
  // a word with two or more capitals and no certain lower-case letter is upper-cased whole.
  return converted.replace(/[\p{L}]+/gu, (word) => {
    let upper = 0;
    for (const ch of word) {
      if (/[a-zăâđêôơư]/u.test(ch)) return word;
      if (/[A-ZĂÂĐÊÔƠƯ]/u.test(ch)) upper++;
    }
    return upper >= 2 ? word.toUpperCase() : word;
  });
}

function convertVni(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const two = text.slice(i, i + 2);
    const pair = two.length === 2 ? (VNI_TO_UNICODE.get(two) ?? mixedCaseVni(two)) : undefined;
    if (pair !== undefined) {
      out += pair;
      i += 2;
      continue;
    }
    const one = text[i]!;
    out += VNI_TO_UNICODE.get(one) ?? one;
    i += 1;
  }
  return out;
}

/** "Aù" (a capital base with a lower-case mark, from mixed fonts): the base's case wins. */
function mixedCaseVni(two: string): string | undefined {
  const base = two[0]!;
  const mark = two[1]!;
  const lower = VNI_TO_UNICODE.get(base.toLowerCase() + mark.toLowerCase());
  if (lower === undefined || lower.length !== 1) return undefined;
  return base === base.toUpperCase() && base !== base.toLowerCase() ? lower.toUpperCase() : lower;
}

/** Convert TCVN3 or VNI text (as Windows-1252 characters) to Unicode NFC. */
export function convertLegacyVietnamese(text: string, from: LegacyVietnameseEncoding): string {
  const converted = from === 'tcvn3' ? convertTcvn3(text) : convertVni(text);
  return converted.normalize('NFC');
}


/**
 * Whether text (a sample is enough; the first 64 KiB characters are looked at) is TCVN3 or VNI
 * shown as Windows-1252 characters. Words containing the encoding's characters are converted
 * and kept as evidence when they become a well-formed Vietnamese syllable. Plain ASCII, real
 * Unicode Vietnamese and ordinary Western European text give null.
 */
export function detectLegacyVietnamese(text: string): LegacyVietnameseEncoding | null {
  const sample = text.length > SNIFF_BYTES ? text.slice(0, SNIFF_BYTES) : text;
  let candidates = 0;
  let tcvn3 = 0;
  let vni = 0;
  let unicodeWords = 0;
  for (const token of sample.match(TOKEN_OR_UNICODE) ?? []) {
    if (/[^\u0000-\u00ff]/u.test(token)) {
      // Letters beyond Latin-1 (ă, ơ, ư, đ, ạ…): real Unicode, which legacy text never has.
      if (UNICODE_VIETNAMESE.test(token)) unicodeWords++;
      continue;
    }
    if (!/[\u00a1-\u00ff]/.test(token)) continue;
    // "Chí", "à", "Ú" are Unicode Vietnamese as they stand: no evidence either way.
    if (looksLikeVietnameseSyllable(token)) continue;
    candidates++;
    const asTcvn3 = convertTcvn3(token);
    const asVni = convertVni(token);
    if (asTcvn3 !== token && looksLikeVietnameseSyllable(asTcvn3)) tcvn3++;
    if (asVni !== token && looksLikeVietnameseSyllable(asVni)) vni++;
  }
  const best = Math.max(tcvn3, vni);
  if (best === 0 || best < candidates * 0.6 || best <= unicodeWords) return null;
  // One odd word is never evidence enough: "O Â" is plain Unicode as much as it is TCVN3.
  // Detection runs on a sample of a whole file, where legacy text shows in many words.
  if (best < 2) return null;
  if (tcvn3 === vni) return null;
  return tcvn3 > vni ? 'tcvn3' : 'vni';
}

/**
 * Text helpers for Vietnamese names and addresses.
 *
 * The same name reaches us from many offices typed in different ways: precomposed (NFC) or
 * decomposed (NFD) Unicode, old-style tone placement ("Hoà" vs "Hòa"), capitals, double
 * spaces. Matching must see through all of that, while display must keep the diacritics.
 */

// Every combining mark, not only the Vietnamese tone and vowel marks: a stray mark from some
// other script must not make two otherwise equal keys differ.
const COMBINING_MARKS = /\p{M}+/gu;
const WHITESPACE_RUN = /\s+/gu;

/**
 * A search and matching key: lower case, no diacritics, đ → d, single spaces.
 * "ĐẶNG  Thị   Hoà" → "dang thi hoa". Idempotent, and insensitive to NFC/NFD and to the
 * old/new tone placement (both fold to the same letters), so keys from any source compare.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    // đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
    .replace(/đ/gu, 'd')
    .replace(WHITESPACE_RUN, ' ')
    .trim();
}

// A letter starts a new capitalised part at the start, after a space or hyphen, and after an
// apostrophe: the apostrophe appears in Vietnamese names almost only in names of the Central
// Highlands peoples, where the next letter is written as a capital ("H'Hen Niê", "Ksor H'Bơ").
const PART_START = /(^|[\s\-'’])(\p{L})/gu;

/**
 * A person's name for display and storage: NFC, single spaces, each word capitalised.
 * "nguyễn THỊ ánh" → "Nguyễn Thị Ánh"; "đỗ văn đức" → "Đỗ Văn Đức".
 */
export function normalisePersonName(text: string): string {
  return text
    // NFC first so that each letter with its marks is one code point and is cased as a whole.
    .normalize('NFC')
    .replace(WHITESPACE_RUN, ' ')
    .trim()
    .toLowerCase()
    .replace(PART_START, (_match, before: string, letter: string) => before + letter.toUpperCase());
}

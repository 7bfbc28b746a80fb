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
  return foldByTable(text) ?? foldByNormalising(text);
}

/** The definition of the key; foldByTable gives the same result faster for Latin-script text. */
export function foldByNormalising(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    // đ is a letter of its own, not d plus a mark, so NFD leaves it alone.
    .replace(/đ/gu, 'd')
    .replace(WHITESPACE_RUN, ' ')
    .trim();
}

// Every import row folds its name, address words and some cells, and normalising the whole
// string to NFD and back through three regular expressions was a tenth of the import's time
// in this process. Each code point of the Latin blocks is folded once here by the definition
// above, so that a string of them folds one code point at a time. A string holding anything
// else (another script, a rarer mark) goes the long way: there, case or order can depend on
// the neighbours (Greek final sigma), which a table of single code points cannot know.
const FOLDED_LATIN: readonly (string | undefined)[] = (() => {
  const table: (string | undefined)[] = [];
  const blocks: [number, number][] = [
    [0x0000, 0x024f], // ASCII, Latin-1, Latin Extended-A and -B
    [0x0300, 0x036f], // the combining diacritical marks of decomposed text
    [0x1e00, 0x1eff], // Latin Extended Additional: the precomposed Vietnamese vowels with tones
  ];
  for (const [first, last] of blocks) {
    for (let code = first; code <= last; code++) {
      const char = String.fromCharCode(code);
      // Whitespace is not a letter: the loop below collapses runs of it, as the definition does.
      if (/\s/u.test(char)) continue;
      table[code] = foldByNormalising(char);
    }
  }
  return table;
})();

function foldByTable(text: string): string | null {
  let out = '';
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const folded = FOLDED_LATIN[code];
    if (folded === undefined) {
      if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0xa0 || /\s/u.test(text[i] as string)) {
        space = out.length > 0;
        continue;
      }
      return null;
    }
    // A combining mark folds to nothing and leaves a pending space pending.
    if (folded === '') continue;
    if (space) out += ' ';
    space = false;
    out += folded;
  }
  return out;
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

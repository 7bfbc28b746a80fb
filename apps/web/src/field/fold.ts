/**
 * Search key for Vietnamese text: lower case, no diacritics, đ → d, single spaces. The same rule as
 * foldVietnamese in @cds/domain, written again here because that package's index also exports the
 * synthetic-population tables, which must not reach volunteers' phones (fold.test.ts keeps the two equal).
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .replace(/\s+/g, ' ')
    .trim();
}

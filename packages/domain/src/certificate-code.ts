/**
 * Certificate codes: "CDS-" and twelve Crockford base-32 characters in groups of four, the last
 * one a check character. 55 random bits cannot be guessed, so a code is real only if the
 * registry of certificates holds it; the check character lets the page tell a mistyped code
 * ("the code has a typo") from one that was never issued, without a database read.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// Crockford's check symbols: the 32 digits and five more, for a value modulo 37.
const CHECK_SYMBOLS = ALPHABET + '*~$=U';
const BODY_LENGTH = 11;

function checkSymbol(body: string): string {
  let mod = 0;
  for (const ch of body) mod = (mod * 32 + ALPHABET.indexOf(ch)) % 37;
  return CHECK_SYMBOLS[mod] ?? '0';
}

/** Builds a code from random bytes (at least 7); the server passes crypto.randomBytes(7). */
export function certificateCodeFrom(random: Uint8Array): string {
  if (random.length < 7) throw new Error('cần ít nhất 7 byte ngẫu nhiên');
  let bits = 0n;
  for (const byte of random.slice(0, 7)) bits = (bits << 8n) | BigInt(byte);
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) {
    body += ALPHABET[Number(bits & 31n)];
    bits >>= 5n;
  }
  const chars = body + checkSymbol(body);
  return `CDS-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/**
 * The code in its canonical form, or null when it cannot be one (wrong length or alphabet, or a
 * check character that does not agree). Read leniently, as people type them: any case, spaces
 * or dashes anywhere, O for 0, I and L for 1.
 */
export function normaliseCertificateCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/^CDS/, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length !== BODY_LENGTH + 1) return null;
  const body = compact.slice(0, BODY_LENGTH);
  if ([...body].some((ch) => !ALPHABET.includes(ch))) return null;
  if (compact[BODY_LENGTH] !== checkSymbol(body)) return null;
  return `CDS-${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8, 12)}`;
}

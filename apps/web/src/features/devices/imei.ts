/**
 * The IMEI as an official types it, checked while typing, the same way the server checks it:
 * 15 digits whose last is the Luhn check digit. Spaces, dashes and dots (as printed on a box or
 * shown by *#06#) are left out before checking.
 */
export type ImeiCheck =
  | { state: 'empty'; digits: '' }
  | { state: 'notDigits'; digits: string }
  | { state: 'short'; digits: string; missing: number }
  | { state: 'long'; digits: string; extra: number }
  | { state: 'badCheckDigit'; digits: string; expected: number }
  /** Fifteen zeros pass the Luhn check but are no device's number; the server refuses them too. */
  | { state: 'allZeros'; digits: string }
  | { state: 'ok'; digits: string };

/** Only the separators people type between groups; any other character makes it not an IMEI. */
export function normaliseImei(text: string): string {
  return text.replace(/[\s.\-/]/g, '');
}

/** The Luhn check digit for the first 14 digits of an IMEI. */
export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    // From the right of the body, every first, third… digit is doubled (the check digit is next to it).
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function checkImei(text: string): ImeiCheck {
  const digits = normaliseImei(text);
  if (digits === '') return { state: 'empty', digits: '' };
  if (!/^\d+$/.test(digits)) return { state: 'notDigits', digits };
  if (digits.length < 15) return { state: 'short', digits, missing: 15 - digits.length };
  if (digits.length > 15) return { state: 'long', digits, extra: digits.length - 15 };
  if (/^0+$/.test(digits)) return { state: 'allZeros', digits };
  const expected = luhnCheckDigit(digits.slice(0, 14));
  if (Number(digits[14]) !== expected) return { state: 'badCheckDigit', digits, expected };
  return { state: 'ok', digits };
}

export function isValidImei(text: string): boolean {
  return checkImei(text).state === 'ok';
}

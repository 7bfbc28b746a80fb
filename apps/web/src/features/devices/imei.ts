import { luhnCheckDigit, normaliseImei } from '@cds/domain/imei';

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

// The rule itself (separators, Luhn) is the domain's, shared with the server and the field app;
// this file only says which way a half-typed number is wrong, for the message under the field.

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

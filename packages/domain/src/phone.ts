/**
 * Vietnamese mobile numbers.
 *
 * Numbers arrive as typed by residents and volunteers or exported from spreadsheets: with
 * +84 or 84, spaces and dots, a lost leading zero, or in the 11-digit form that carriers
 * retired in 2018 (still common in old household lists). We bring them to one form, the
 * 10-digit national number, so that the same phone is the same string everywhere.
 */

export type Carrier = 'viettel' | 'mobifone' | 'vinaphone' | 'vietnamobile' | 'gmobile' | 'itelecom' | 'reddi';

/** Mobile prefixes (first three digits of the 10-digit number) assigned to each carrier. */
export const MOBILE_PREFIXES: Record<Carrier, readonly string[]> = {
  viettel: ['086', '096', '097', '098', '032', '033', '034', '035', '036', '037', '038', '039'],
  mobifone: ['089', '090', '093', '070', '076', '077', '078', '079'],
  vinaphone: ['088', '091', '094', '081', '082', '083', '084', '085'],
  vietnamobile: ['092', '056', '058'],
  gmobile: ['099', '059'],
  itelecom: ['087'],
  reddi: ['055'],
};

const CARRIER_BY_PREFIX: ReadonlyMap<string, Carrier> = new Map(
  (Object.entries(MOBILE_PREFIXES) as [Carrier, readonly string[]][]).flatMap(([carrier, prefixes]) =>
    prefixes.map((prefix) => [prefix, carrier] as const),
  ),
);

/**
 * The 11-digit prefixes retired in 2018 (Ministry of Information and Communications plan for
 * the change of mobile codes, Sept–Nov 2018) and the 3-digit prefixes that replaced them; the
 * remaining seven digits did not change.
 */
export const RETIRED_PREFIXES: Readonly<Record<string, string>> = {
  // Viettel
  '0162': '032', '0163': '033', '0164': '034', '0165': '035', '0166': '036', '0167': '037', '0168': '038', '0169': '039',
  // MobiFone
  '0120': '070', '0121': '079', '0122': '077', '0126': '076', '0128': '078',
  // VinaPhone
  '0123': '083', '0124': '084', '0125': '085', '0127': '081', '0129': '082',
  // Vietnamobile
  '0186': '056', '0188': '058',
  // Gmobile
  '0199': '059',
};

export type PhoneProblem =
  | 'empty'
  | 'scientific_notation'
  | 'not_digits'
  | 'foreign_number'
  | 'landline'
  | 'wrong_length'
  | 'unknown_prefix';

export type PhoneCheck =
  | { ok: true; value: string; carrier: Carrier }
  | { ok: false; reason: PhoneProblem; message: string };

/** The carrier of a clean 10-digit mobile number, or null. */
export function carrierOf(phone: string): Carrier | null {
  if (!/^0\d{9}$/.test(phone)) return null;
  return CARRIER_BY_PREFIX.get(phone.slice(0, 3)) ?? null;
}

const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;
// Not '/', which usually separates two numbers in one cell; those must be split by a person.
const SEPARATORS = /[\s.\u00a0()[\]\-\u2010-\u2015]/gu;
const LEADING_APOSTROPHE = /^['’‘]/u;
// A lost leading zero is only restored for first digits that start a mobile prefix today.
const MOBILE_FIRST_DIGIT = /^[35789]/;

function fail(reason: PhoneProblem, message: string): PhoneCheck {
  return { ok: false, reason, message };
}

/** Removes the country code in its written forms; returns null for another country's code. */
function stripCountryCode(digits: string, hadPlus: boolean): string | null {
  if (hadPlus || digits.startsWith('00')) {
    const national = hadPlus ? digits : digits.slice(2);
    if (!national.startsWith('84')) return null;
    // "+84 0912…" is a common mix of both conventions.
    return national.slice(2);
  }
  // Without a plus, "84" is a country code only when what follows has the length of a national
  // number without its zero: 9 digits, or 10 for the retired 11-digit numbers (those start with 1).
  if (digits.startsWith('84') && (digits.length === 11 || (digits.length === 12 && digits[2] === '1'))) {
    return digits.slice(2);
  }
  return digits;
}

/**
 * Cleans a Vietnamese mobile number to its 10-digit form and names the carrier. Messages are
 * Vietnamese, for the person fixing the record.
 */
export function normalisePhone(raw: string): PhoneCheck {
  const trimmed = raw.trim().replace(LEADING_APOSTROPHE, '').trim();
  if (trimmed === '') return fail('empty', 'Chưa nhập số điện thoại');
  if (SCIENTIFIC.test(trimmed)) {
    return fail(
      'scientific_notation',
      `Số điện thoại "${trimmed}" đã bị bảng tính đổi sang dạng số mũ nên mất chữ số; cần lấy lại số gốc`,
    );
  }
  const hadPlus = trimmed.startsWith('+');
  const cleaned = trimmed.replace(SEPARATORS, '').replace(/^\+/, '');
  if (!/^\d+$/.test(cleaned)) return fail('not_digits', 'Số điện thoại chỉ được gồm chữ số');

  const national = stripCountryCode(cleaned, hadPlus);
  if (national === null) {
    return fail('foreign_number', 'Số điện thoại có mã quốc gia khác Việt Nam (+84)');
  }

  let digits = national;
  // A spreadsheet that stored the number as a number dropped its zero.
  if (digits.length === 9 && MOBILE_FIRST_DIGIT.test(digits)) digits = `0${digits}`;
  else if (digits.length === 10 && digits.startsWith('1')) digits = `0${digits}`;

  if (digits.length === 11 && digits.startsWith('01')) {
    const replacement = RETIRED_PREFIXES[digits.slice(0, 4)];
    if (replacement === undefined) {
      return fail('unknown_prefix', `Đầu số cũ ${digits.slice(0, 4)} không phải đầu số di động đã chuyển đổi năm 2018`);
    }
    digits = replacement + digits.slice(4);
  }

  // Fixed lines are 11 digits with a 02x area code (e.g. 028 for Ho Chi Minh City), 10 once
  // the zero is lost.
  if ((digits.length === 11 && digits.startsWith('02')) || (digits.length === 10 && digits.startsWith('2'))) {
    return fail('landline', 'Đây là số điện thoại cố định, không phải số di động');
  }
  if (digits.length !== 10 || !digits.startsWith('0')) {
    return fail('wrong_length', `Số điện thoại di động phải có 10 chữ số, nhưng có ${digits.length}`);
  }
  const carrier = CARRIER_BY_PREFIX.get(digits.slice(0, 3));
  if (carrier === undefined) {
    return fail('unknown_prefix', `Đầu số ${digits.slice(0, 3)} không phải đầu số di động của nhà mạng Việt Nam`);
  }
  return { ok: true, value: digits, carrier };
}

/** Masks a phone for display: the prefix and the last two digits. '0912345678' → '091*****78'. */
export function maskPhone(phone: string): string {
  const clean = phone.trim().replace(LEADING_APOSTROPHE, '').replace(SEPARATORS, '');
  if (clean.length < 8) return '*'.repeat(clean.length);
  return clean.slice(0, 3) + '*'.repeat(clean.length - 5) + clean.slice(-2);
}

/**
 * Vietnamese citizen ID numbers (số định danh cá nhân, printed on the thẻ Căn cước / CCCD).
 *
 * Layout (Decree 137/2015/ND-CP Art. 13; Circular 07/2016/TT-BCA):
 *   PPP C YY NNNNNN
 *   PPP    code of the province where the birth was registered
 *   C      century of birth and sex: 0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s, …
 *   YY     last two digits of the birth year
 *   NNNNNN random
 *
 * Lists reach us from spreadsheets, which drop the leading zero of every ID (all province codes
 * start with 0) and sometimes turn the number into "7.9085E+10". We only repair what can be
 * repaired with confidence and say plainly what cannot.
 */

export type Sex = 'male' | 'female';

/**
 * The 63 province codes in use before the 2025 merger. IDs keep the code of the province of
 * birth registration for life, so pre-merger codes stay valid on every card.
 * Source: the `citizen_id_prefix` column of data/vn-provinces-legacy-63.csv (copied here
 * because the domain package does no I/O; a test keeps the count honest).
 */
export const CITIZEN_ID_PROVINCE_CODES = [
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020',
  '022', '024', '025', '026', '027', '030', '031', '033', '034', '035', '036', '037', '038',
  '040', '042', '044', '045', '046', '048', '049', '051', '052', '054', '056', '058', '060',
  '062', '064', '066', '067', '068', '070', '072', '074', '075', '077', '079', '080', '082',
  '083', '084', '086', '087', '089', '091', '092', '093', '094', '095', '096',
] as const;

const PROVINCE_CODES: ReadonlySet<string> = new Set(CITIZEN_ID_PROVINCE_CODES);

export function isCitizenIdProvinceCode(code: string): boolean {
  return PROVINCE_CODES.has(code);
}

export interface DecodedCitizenId {
  provinceCode: string;
  sex: Sex;
  birthYear: number;
}

/** The century-and-sex digit for a birth year and sex; the inverse of the decoding in parseCitizenId. */
export function centuryDigitFor(birthYear: number, sex: Sex): number {
  const century = Math.floor(birthYear / 100) - 19;
  if (!Number.isInteger(birthYear) || century < 0 || century > 4) {
    throw new RangeError(`Năm sinh ${birthYear} nằm ngoài khoảng 1900–2399 mà số CCCD mã hoá được`);
  }
  return century * 2 + (sex === 'female' ? 1 : 0);
}

/** Decodes a clean 12-digit ID; null when it is not 12 digits or names no known province. */
export function parseCitizenId(id: string): DecodedCitizenId | null {
  if (!/^\d{12}$/.test(id)) return null;
  const provinceCode = id.slice(0, 3);
  if (!PROVINCE_CODES.has(provinceCode)) return null;
  const centuryDigit = id.charCodeAt(3) - 48;
  const birthYear = 1900 + Math.floor(centuryDigit / 2) * 100 + Number(id.slice(4, 6));
  return { provinceCode, sex: centuryDigit % 2 === 0 ? 'male' : 'female', birthYear };
}

export type CitizenIdProblem =
  | 'empty'
  | 'scientific_notation'
  | 'not_digits'
  | 'wrong_length'
  | 'unknown_province'
  | 'impossible_birth_year'
  | 'birth_year_mismatch'
  | 'sex_mismatch';

export type CitizenIdCheck =
  | { ok: true; value: string; kind: 'citizen_id' | 'legacy_id' }
  | { ok: false; reason: CitizenIdProblem; message: string };

export interface CitizenIdPerson {
  birthYear?: number | null;
  sex?: Sex | null;
}

// Nobody born in 2100 or later holds an ID yet: a century digit of 4–9 is a typing error, and
// saying so needs no clock.
const FIRST_IMPOSSIBLE_BIRTH_YEAR = 2100;

const SEX_VI: Record<Sex, string> = { male: 'nam', female: 'nữ' };

// What a spreadsheet shows for a long number in a narrow or General-format cell.
const SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;
// Separators people type or paste: spaces (incl. no-break), dots, hyphens and dashes.
const SEPARATORS = /[\s.\u00a0\-\u2010-\u2015]/gu;
// Excel's "store as text" marker, straight or curly once it has been through a word processor.
const LEADING_APOSTROPHE = /^['’‘]/u;

function fail(reason: CitizenIdProblem, message: string): CitizenIdCheck {
  return { ok: false, reason, message };
}

/** The first way a decoded ID contradicts what we know of the person, or null. */
function contradiction(
  decoded: DecodedCitizenId,
  person: CitizenIdPerson | undefined,
): { reason: CitizenIdProblem; detail: string } | null {
  if (decoded.birthYear >= FIRST_IMPOSSIBLE_BIRTH_YEAR) {
    return { reason: 'impossible_birth_year', detail: `mã hoá năm sinh ${decoded.birthYear}, không thể có thật` };
  }
  const birthYear = person?.birthYear;
  if (birthYear != null && birthYear !== decoded.birthYear) {
    return { reason: 'birth_year_mismatch', detail: `không khớp với năm sinh ${birthYear}` };
  }
  const sex = person?.sex;
  if (sex != null && sex !== decoded.sex) {
    return { reason: 'sex_mismatch', detail: `không khớp với giới tính ${SEX_VI[sex]}` };
  }
  return null;
}

/**
 * Cleans and checks an ID as typed or imported. Accepts a 12-digit citizen ID consistent with
 * the person's birth year and sex (when known) and a 9-digit legacy ID (CMND). Restores one
 * leading zero lost by a spreadsheet, but only when the result decodes to a known province and
 * agrees with the person, because otherwise we would be inventing a number.
 */
export function checkCitizenId(raw: string, person?: CitizenIdPerson): CitizenIdCheck {
  const trimmed = raw.trim().replace(LEADING_APOSTROPHE, '').trim();
  if (trimmed === '') return fail('empty', 'Chưa nhập số CCCD');
  if (SCIENTIFIC.test(trimmed)) {
    return fail(
      'scientific_notation',
      `Số CCCD "${trimmed}" đã bị bảng tính đổi sang dạng số mũ nên mất các chữ số cuối; cần lấy lại số gốc`,
    );
  }
  const digits = trimmed.replace(SEPARATORS, '');
  if (!/^\d+$/.test(digits)) return fail('not_digits', 'Số CCCD chỉ được gồm chữ số');

  if (digits.length === 9) return { ok: true, value: digits, kind: 'legacy_id' };

  if (digits.length === 12) {
    const provinceCode = digits.slice(0, 3);
    const decoded = parseCitizenId(digits);
    if (!decoded) {
      return fail('unknown_province', `Mã tỉnh "${provinceCode}" ở đầu số CCCD không tồn tại`);
    }
    const problem = contradiction(decoded, person);
    return problem ? fail(problem.reason, `Số CCCD ${problem.detail}`) : { ok: true, value: digits, kind: 'citizen_id' };
  }

  if (digits.length === 11) {
    const restored = `0${digits}`;
    const decoded = parseCitizenId(restored);
    const problem = decoded ? contradiction(decoded, person) : null;
    if (decoded && !problem) return { ok: true, value: restored, kind: 'citizen_id' };
    // Say why the repair was refused, so the person fixing the list knows what to look for.
    const why = problem ? `thêm số 0 ở đầu thì số ${problem.detail}` : 'thêm số 0 ở đầu cũng không ra mã tỉnh hợp lệ';
    return fail('wrong_length', `Số CCCD có 11 chữ số (cần 12); ${why}`);
  }

  return fail('wrong_length', `Số CCCD phải có 12 chữ số (hoặc 9 với CMND cũ), nhưng có ${digits.length}`);
}

/**
 * Masks an ID for display: the province code and the last two digits stay visible, enough to
 * tell two people apart on a list without exposing the number (Decree 13/2023/ND-CP).
 * '079123456723' → '079*******23'; '123456789' → '123****89'.
 */
export function maskCitizenId(id: string): string {
  const clean = id.trim().replace(LEADING_APOSTROPHE, '').replace(SEPARATORS, '');
  // Too short to leave 5 characters visible without showing most of it: hide everything.
  if (clean.length < 8) return '*'.repeat(clean.length);
  return clean.slice(0, 3) + '*'.repeat(clean.length - 5) + clean.slice(-2);
}

// IMEI of a handed-over device: 15 digits, the last a Luhn check digit over the first 14
// (3GPP TS 23.003). A mistyped digit or two swapped neighbours change the check, so the person
// recording a handover hears about it before a wrong number becomes the device's record.

/** Spaces, dots, dashes and slashes as printed on boxes and on *#06# screens are dropped. */
export function normaliseImei(raw: string): string {
  return raw.replace(/[\s.\-/]/g, '');
}

/** The Luhn check digit of a string of digits (the digit to append). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // From the right, every second digit (starting with the rightmost of the body) is doubled.
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** What is wrong with an IMEI, in Vietnamese, or null when it is a valid 15-digit IMEI. */
export function imeiProblem(raw: string): string | null {
  const imei = normaliseImei(raw);
  if (imei.length === 0) return 'Chưa nhập số IMEI';
  if (!/^\d+$/.test(imei)) return 'Số IMEI chỉ gồm chữ số';
  if (imei.length !== 15) return `Số IMEI gồm 15 chữ số (đang có ${imei.length})`;
  if (/^0+$/.test(imei)) return 'Số IMEI không hợp lệ';
  if (luhnCheckDigit(imei.slice(0, 14)) !== Number(imei[14])) return 'Số IMEI sai chữ số kiểm tra; hãy đọc lại trên máy (*#06#)';
  return null;
}

export function isValidImei(raw: string): boolean {
  return imeiProblem(raw) === null;
}

/** Last four digits only: what lists and reports show. */
export function maskImei(imei: string): string {
  return `•••••••••••${imei.slice(-4)}`;
}

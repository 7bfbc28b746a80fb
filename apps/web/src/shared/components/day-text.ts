// A day as Vietnamese write it, dd/mm/yyyy, read and written whatever the browser's language.

const DAY_TEXT = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * What the field shows for what was typed: a day or month of two digits ends itself, so digits
 * typed in a row get their slashes ("01112026" → "01/11/2026"), while a slash typed after one
 * digit ends it early ("1/2/2026"). Dots, dashes and spaces count as slashes; anything else is
 * dropped, and so is a slash that would leave a part empty.
 */
export function maskDayText(typed: string): string {
  // A day pasted as 2026-11-01, as spreadsheets and the system write it.
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(typed);
  if (iso) return `${iso[3]}/${iso[2]}/${iso[1]}`;
  const slashed = typed.replace(/[.\-\s]/g, '/').replace(/[^\d/]/g, '');
  // Two slashes: the day is all there and being corrected in place. It stays as typed (a wrong
  // day is marked, not reflowed into the next part), which also keeps the caret where it was.
  if (/^\d{1,3}\/\d{1,3}\/\d{0,4}$/.test(slashed)) return slashed;
  const parts: string[] = [''];
  let endedByHand = false;
  for (const char of typed.replace(/[.\-\s]/g, '/')) {
    const index = parts.length - 1;
    const current = parts[index] as string;
    if (char === '/') {
      if (current !== '' && index < 2) {
        parts.push('');
        endedByHand = true;
      }
    } else if (/\d/.test(char)) {
      if (index < 2 && current.length === 2) {
        parts.push(char);
      } else if (current.length < (index === 2 ? 4 : 2)) {
        parts[index] = current + char;
      }
      endedByHand = false;
    }
  }
  // "01/" as typed stays, so the reader sees the slash they typed; an empty part is otherwise dropped.
  return parts.filter((part, i) => part !== '' || (i === parts.length - 1 && endedByHand)).join('/');
}

/** The day "d/m/yyyy" names, as yyyy-mm-dd; '' for text that is incomplete or not a real day (31/02). */
export function parseDayText(text: string): string {
  const match = DAY_TEXT.exec(text.trim());
  if (!match) return '';
  const [, d, m, y] = match as unknown as [string, string, string, string];
  const day = Number(d);
  const month = Number(m);
  const year = Number(y);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return '';
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return '';
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** yyyy-mm-dd as dd/mm/yyyy; '' stays ''. */
export function formatDayText(day: string): string {
  const match = ISO_DAY.exec(day);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : '';
}

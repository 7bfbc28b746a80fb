/**
 * A day-by-day table of the last century, built once per generation run: picking a birth date
 * then costs one array read instead of building a Date and a string for each of 14 million
 * people, and the exact age on `today` comes with it.
 */

const DAY_MS = 86_400_000;

export interface Calendar {
  /** 'YYYY-MM-DD' for each day, oldest first; the last entry is `today`. */
  readonly dates: readonly string[];
  readonly years: Uint16Array;
  /** Age in whole years on `today` of someone born that day. */
  readonly ages: Uint8Array;
  readonly todayIndex: number;
  /** Index of the first day on or after `observedSince` (todayIndex when that is after today). */
  readonly observedFrom: number;
}

/** Parses a strict 'YYYY-MM-DD' calendar date to UTC milliseconds; throws on anything else. */
export function parseIsoDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  // Date.UTC rolls 2025-02-30 over to March; the round trip catches it.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new RangeError(`Ngày "${text}" không hợp lệ; cần dạng YYYY-MM-DD`);
  }
  return ms;
}

export function buildCalendar(today: string, years: number, observedSince: string): Calendar {
  const todayMs = parseIsoDate(today);
  const todayIndex = Math.ceil(years * 365.25);
  const startMs = todayMs - todayIndex * DAY_MS;
  const todayKey = Number(today.slice(5, 7)) * 100 + Number(today.slice(8, 10));
  const todayYear = Number(today.slice(0, 4));
  const dates = new Array<string>(todayIndex + 1);
  const yearOf = new Uint16Array(todayIndex + 1);
  const ages = new Uint8Array(todayIndex + 1);
  let observedFrom = todayIndex;
  for (let i = 0; i <= todayIndex; i++) {
    const day = new Date(startMs + i * DAY_MS);
    const iso = day.toISOString().slice(0, 10);
    const year = day.getUTCFullYear();
    dates[i] = iso;
    yearOf[i] = year;
    // Not yet had this year's birthday: one year younger. A 29 February birthday counts from 1 March.
    ages[i] = todayYear - year - ((day.getUTCMonth() + 1) * 100 + day.getUTCDate() > todayKey ? 1 : 0);
    if (observedFrom === todayIndex && iso >= observedSince) observedFrom = i;
  }
  return { dates, years: yearOf, ages, todayIndex, observedFrom };
}

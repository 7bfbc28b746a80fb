// How numbers, shares and times are written for the reader, as pure functions (tested in
// formats.test.ts); the I18n context binds them to the reader's language.

// Vietnam time whatever the browser's zone: the city's days are Vietnam's (the server counts them
// so), and dd/mm/yyyy HH:mm in both languages (the short style gave "20:20 3/12/26" in Vietnamese).
const VIETNAM_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function vietnamTime(value: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> | null {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  const parts = Object.fromEntries(VIETNAM_TIME.formatToParts(d).map((p) => [p.type, p.value]));
  return { year: parts.year ?? '', month: parts.month ?? '', day: parts.day ?? '', hour: parts.hour ?? '', minute: parts.minute ?? '' };
}

/** Today in Vietnam (UTC+7) as YYYY-MM-DD, whatever the browser's zone: defaults and upper bounds of date fields, report periods. */
export function vietnamToday(now: Date = new Date()): string {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** "04/12/2026": a calendar date as written; a moment (with a time) on its day in Vietnam. */
export function dateText(value: string | null | undefined): string {
  if (!value) return '—';
  if (value.includes('T')) {
    const at = vietnamTime(value);
    return at ? `${at.day}/${at.month}/${at.year}` : value;
  }
  // Calendar dates are shown as written, never shifted by the browser's time zone.
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

/** "04/12/2026 03:20", Vietnam time. */
export function dateTimeText(value: string | null | undefined): string {
  if (!value) return '—';
  const at = vietnamTime(value);
  return at ? `${at.day}/${at.month}/${at.year} ${at.hour}:${at.minute}` : value;
}

/**
 * A share in per cent with one decimal, "87,5%"; more decimals where one would mislead. 25.009 of
 * 25.014 is 99,98%: "100%" beside a target of 100% would say it is met. Likewise a little is not
 * 0%. Judged on the written text (Intl and toFixed round halves differently); beyond three
 * decimals it says "> 99,999%" or "< 0,001%".
 */
export function percentFormatter(locale: string): (value: number | null | undefined) => string {
  const formats = [1, 2, 3].map((digits) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits }));
  const whole = formats[0]!.format(100);
  const none = formats[0]!.format(0);
  return (value) => {
    if (value === null || value === undefined) return '—';
    for (const format of formats) {
      const text = format.format(value);
      if (!((value < 100 && text === whole) || (value > 0 && text === none))) return `${text}%`;
    }
    return value < 100 && value > 50 ? `> ${formats[2]!.format(99.999)}%` : `< ${formats[2]!.format(0.001)}%`;
  };
}

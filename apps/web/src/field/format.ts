const two = (n: number) => String(n).padStart(2, '0');

/** "14:05, 02/12": the phone's local time, as a volunteer reads it. */
export function timeAndDay(iso: string): string {
  const d = new Date(iso);
  return `${two(d.getHours())}:${two(d.getMinutes())}, ${two(d.getDate())}/${two(d.getMonth() + 1)}`;
}

/** "02/12/2026". */
export function day(iso: string): string {
  const d = new Date(iso);
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
}

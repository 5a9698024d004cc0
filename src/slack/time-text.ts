import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** `14:05 UTC` (or `2026-11-21 14:05 UTC` with the date). */
export function utcTime(at: Date, withDate = false): string {
  const iso = at.toISOString();
  return `${withDate ? `${iso.slice(0, 10)} ` : ''}${iso.slice(11, 16)} UTC`;
}

/** `17:00–18:00 UTC` for a window, with the date when it is not the same day as the end. */
export function utcWindow(start: Date, end: Date): string {
  return `${start.toISOString().slice(0, 10)} ${start.toISOString().slice(11, 16)}–${utcTime(end)}`;
}

/** The same window on the source's wall clock: `18:00–19:00 Europe/Berlin`. */
export function localWindow(start: Date, end: Date, timeZone: string): string {
  const from = new TZDate(start.getTime(), timeZone);
  const to = new TZDate(end.getTime(), timeZone);
  return `${format(from, 'yyyy-MM-dd HH:mm')}–${format(to, 'HH:mm')} ${timeZone}`;
}

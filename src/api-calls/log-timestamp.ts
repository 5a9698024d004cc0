const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)? ?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch ms of a log timestamp: ISO-8601 (`2026-12-04T18:04:13.120Z`, `…+01:00`) or `2026-12-04 18:04:13`
 * (seconds and a fraction optional), in UTC unless it names a zone (`Z`, `+01:00`, `+0100`, `+01`, with or
 * without a space before it). NaN when it is neither, or names a date or time that does not exist.
 */
export function parseLogTimestamp(text: string): number {
  const match = TIMESTAMP.exec(text);
  if (!match) return Number.NaN;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const ms = match[7] ? Number(match[7].slice(0, 3).padEnd(3, '0')) : 0;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes(match[8]) * 60_000;
}

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] as number);
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 14 || minutes > 59) return Number.NaN;
  return sign * (hours * 60 + minutes);
}

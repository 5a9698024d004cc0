/** ISO-8601 as the command line takes it: a date, or a date, `T` and a time (with or without a zone). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Epoch ms of an ISO-8601 date-time given on the command line, or NaN when it is not one. A time without a zone
 * is UTC, as every time in ratewatch is: JavaScript would read it in the machine's own zone, so the same command
 * would judge other minutes on a machine set to New York.
 */
export function parseCliTime(value: string): number {
  if (!ISO_DATE_TIME.test(value)) return Number.NaN;
  // A date alone is already UTC to Date.parse; a date-time without a zone would be local.
  return Date.parse(value.includes('T') && !HAS_ZONE.test(value) ? `${value}Z` : value);
}

import { type Calendar, createCalendar } from '../detection/calendar.js';
import type { SeriesProfile } from '../detection/settings.js';

/** Distinct (time zone, holidays) calendars kept; far more than any configuration has. */
const MAX_CALENDARS = 1000;

/** Every calendar handed out, by time zone and holidays. */
const calendars = new Map<string, Calendar>();

/**
 * The calendar of a profile's time zone and holidays, shared by every series that has them, in every batch. A
 * calendar memoises positions, and computing one (time-zone rules) cost more than all the rest of loading a batch
 * when each series built its own calendar, and so computed a position for every hour of its history
 * (bench:evaluate). A position depends only on the instant, the zone and the holidays: sharing changes no result.
 */
export function calendarOf(profile: SeriesProfile, timeZone = profile.timeZone): Calendar {
  const key = `${timeZone}\u0000${profile.holidays.join(',')}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    if (calendars.size >= MAX_CALENDARS) calendars.clear();
    calendar = createCalendar(timeZone, profile.holidays);
    calendars.set(key, calendar);
  }
  return calendar;
}

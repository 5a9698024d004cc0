import { tzOffset } from '@date-fns/tz';
import { HOUR_MS, MINUTE_MS } from './types.js';

/** Local wall-clock facts about one UTC minute. */
export interface LocalMinute {
  /** 0–1439: minutes since local midnight. */
  readonly minuteOfDay: number;
  /** 0 Sunday … 6 Saturday, in local time. */
  readonly weekday: number;
  /** Local calendar days since 1970-01-01. */
  readonly day: number;
}

export interface LocalClock {
  /** UTC offset in minutes at that instant (e.g. 60 for Berlin in winter, 120 in summer). */
  offsetMinutes(utcMs: number): number;
  local(utcMs: number): LocalMinute;
}

/**
 * Local time in one IANA time zone, DST included (via @date-fns/tz). Offsets are cached per UTC hour:
 * every zone we simulate changes offset only on whole UTC hours.
 */
export function createLocalClock(timeZone: string): LocalClock {
  const offsets = new Map<number, number>();
  const offsetMinutes = (utcMs: number) => {
    const hour = Math.floor(utcMs / HOUR_MS);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset = tzOffset(timeZone, new Date(hour * HOUR_MS));
      offsets.set(hour, offset);
    }
    return offset;
  };
  return {
    offsetMinutes,
    local(utcMs) {
      const localMinute = Math.floor(utcMs / MINUTE_MS) + offsetMinutes(utcMs);
      const day = Math.floor(localMinute / 1440);
      // 1970-01-01 was a Thursday (weekday 4).
      return { minuteOfDay: localMinute - day * 1440, weekday: (((day + 4) % 7) + 7) % 7, day };
    },
  };
}

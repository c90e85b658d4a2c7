// "Today" comes from here so that tests can freeze it (ILO_TODAY=YYYY-MM-DD) and every rule
// that depends on the date (no future dates, as_of defaults) sees the same day.
import { isIsoDate, limaDate, type IsoDate } from './domain/dates.ts';

export interface Clock {
  today(): IsoDate;
  /** The instant, for "issued on" lines of printed papers (frozen with the day in tests). Optional: a clock
   *  without it means the computer's time (see nowOf). */
  now?(): Date;
}

export const systemClock: Clock = {
  today: () => {
    const fixed = process.env.ILO_TODAY;
    return fixed && isIsoDate(fixed) ? fixed : limaDate(new Date());
  },
  now: () => {
    const fixed = process.env.ILO_TODAY;
    if (!(fixed && isIsoDate(fixed))) return new Date();
    // The frozen day at the computer's Lima time of day.
    const lima = new Date(Date.now() - 5 * 3600 * 1000).toISOString().slice(11, 19);
    return new Date(`${fixed}T${lima}-05:00`);
  },
};

/** A clock frozen on `date`; its instant is `time` (Lima, HH:MM) on that day. */
export function fixedClock(date: IsoDate, time = '12:00'): Clock {
  return { today: () => date, now: () => new Date(`${date}T${time}:00-05:00`) };
}

/** The clock's instant (the computer's when the clock has none). */
export const nowOf = (clock: Clock): Date => clock.now?.() ?? new Date();

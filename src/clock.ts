// "Today" comes from here so that tests can freeze it (ILO_TODAY=YYYY-MM-DD) and every rule
// that depends on the date (no future dates, as_of defaults) sees the same day.
import { isIsoDate, limaDate, type IsoDate } from './domain/dates.ts';

export interface Clock {
  today(): IsoDate;
}

export const systemClock: Clock = {
  today: () => {
    const fixed = process.env.ILO_TODAY;
    return fixed && isIsoDate(fixed) ? fixed : limaDate(new Date());
  },
};

export function fixedClock(date: IsoDate): Clock {
  return { today: () => date };
}

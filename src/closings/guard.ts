// THE GUARD of the month close: any write dated in a closed month is refused (409) with a message next to
// its date field that says how corrections are made. Every service that writes a dated act calls
// assertMonthOpen inside its transaction before it writes anything; postEntry and reverseEntry
// (src/fund/ledger.ts) call it as a backstop, so that no journal entry can be dated in a closed month.
import type { Db } from '../db/knex.ts';
import type { IsoDate } from '../domain/dates.ts';
import { closedDateMessage, type Message } from '../domain/closings.ts';
import { FormError } from '../web/errors.ts';
import { loadClosingState } from './queries.ts';

/** The refusal of a date in a closed month ('closings.error.date_closed'), or null when its month is open. */
export async function closedMonthMessage(db: Db, date: IsoDate): Promise<Message | null> {
  return closedDateMessage(await loadClosingState(db), date);
}

/** Throws FormError(409, { [field]: message }) when `date` falls in a closed month. */
export async function assertMonthOpen(db: Db, date: IsoDate, field: string): Promise<void> {
  const message = await closedMonthMessage(db, date);
  if (message) throw new FormError(409, { [field]: message });
}

/** The same for several date fields at once (each closed one gets its message). */
export async function assertDatesOpen(db: Db, dates: Record<string, IsoDate | null | undefined>): Promise<void> {
  const state = await loadClosingState(db);
  const fields: Record<string, Message> = {};
  for (const [field, date] of Object.entries(dates)) {
    const message = date ? closedDateMessage(state, date) : null;
    if (message) fields[field] = message;
  }
  if (Object.keys(fields).length) throw new FormError(409, fields);
}

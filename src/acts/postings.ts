// What the resolutions post. A waiver moves no money (late fees are income only when collected): its
// amount is kept in memorandum accounts so that the fund reports show what was forgiven. A reschedule
// changes what receivables hold: capitalised fees and new interest in, interest not yet due out.
import type { Db } from '../db/knex.ts';
import type { Actor } from '../audit/audit.ts';
import type { IsoDate } from '../domain/dates.ts';
import { ACCOUNTS, SOURCE_TYPES } from '../domain/accounts.ts';
import { postEntry, type LineInput } from '../fund/ledger.ts';

interface Ref { id: number; number: string }

const waiverLines = (contract: Ref, amount: number): LineInput[] => [
  { account_code: ACCOUNTS.waivedLateFees, debit_cents: amount, contract_id: contract.id },
  { account_code: ACCOUNTS.waivedLateFeesContra, credit_cents: amount, contract_id: contract.id },
];

export async function postWaiver(trx: Db, contract: Ref, eventId: number, amount: number, date: IsoDate, resolution: string, actor: Actor): Promise<void> {
  if (amount <= 0) return;
  await postEntry(trx, {
    date, description: `Condonación de intereses moratorios, contrato ${contract.number} (${resolution})`,
    source_type: SOURCE_TYPES.waiver, source_id: eventId, lines: waiverLines(contract, amount),
  }, actor);
}

/** `delta` = scheduled outstanding after − before; `waived` = late fees the reschedule took off. */
export async function postReschedule(trx: Db, contract: Ref, eventId: number, delta: number, waived: number, date: IsoDate,
  resolution: string, actor: Actor): Promise<void> {
  const lines: LineInput[] = [];
  if (delta > 0) {
    lines.push({ account_code: ACCOUNTS.receivables, debit_cents: delta, contract_id: contract.id },
      { account_code: ACCOUNTS.deferredIncome, credit_cents: delta, contract_id: contract.id });
  } else if (delta < 0) {
    lines.push({ account_code: ACCOUNTS.deferredIncome, debit_cents: -delta, contract_id: contract.id },
      { account_code: ACCOUNTS.receivables, credit_cents: -delta, contract_id: contract.id });
  }
  if (waived > 0) lines.push(...waiverLines(contract, waived));
  if (lines.length === 0) return;
  await postEntry(trx, {
    date, description: `Refinanciamiento del contrato ${contract.number} (${resolution})`,
    source_type: SOURCE_TYPES.reschedule, source_id: eventId, lines,
  }, actor);
}

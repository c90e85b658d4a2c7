// The ledger as a plain-text journal in hledger's format (hledger.org/journal.html): a commodity
// directive for soles, an `account` directive for every account (so `hledger check accounts
// commodities` passes), then one transaction per entry in date order. Pure: rows in, text out.
import { toSolesString } from './money.ts';
import type { IsoDate } from './dates.ts';

export const COMMODITY = 'S/';

export interface JournalAccount { code: string; name: string; label: string; type: string }
export interface JournalPosting {
  account_code: string;
  debit_cents: number;
  credit_cents: number;
  tags?: Record<string, string | null | undefined>; // e.g. contract: CV-2026-0001, project: AGUA-ZA
}
export interface JournalTxn {
  id: number;
  date: IsoDate;
  description: string;
  source_type: string;
  source_id: string;
  reverses_entry_id: number | null;
  postings: JournalPosting[];
}
export interface JournalInput {
  title: string;
  accounts: JournalAccount[];
  entries: JournalTxn[];
  /** When exporting from a date: every account's balance the day before, posted as the first transaction. */
  opening?: { date: IsoDate; description: string; balances: { account_code: string; balance_cents: number }[] };
}

// hledger's account types: Asset, Liability, Equity, Revenue, eXpense.
const TYPE_TAG: Record<string, string> = { asset: 'A', liability: 'L', equity: 'E', income: 'R', expense: 'X' };

/** Text that must stay on one line and not open a comment (`;`) in hledger. */
export function journalText(text: string): string {
  return text.replace(/[\r\n\t;]+/g, ' ').replace(/\s{2,}/g, ' ').trim();
}

/** A tag value: hledger ends it at a comma or the end of the line. */
const tagValue = (v: string) => journalText(v).replace(/,/g, ' ');

/** "S/ 1416.67", "S/ -1416.67": the commodity on the left, a space, a dot for decimals. */
export function journalAmount(amount_cents: number): string {
  return `${COMMODITY} ${toSolesString(amount_cents)}`;
}

export function toHledgerJournal(input: JournalInput): string {
  const byCode = new Map(input.accounts.map((a) => [a.code, a]));
  const nameOf = (code: string) => {
    const a = byCode.get(code);
    if (!a) throw new Error(`posting to an unknown account ${code}`);
    return a.name;
  };
  const width = Math.max(20, ...input.accounts.map((a) => a.name.length)) + 2;
  const posting = (code: string, amount: number, tags?: JournalPosting['tags']) => {
    const t = Object.entries(tags ?? {}).filter(([, v]) => v).map(([k, v]) => `${k}: ${tagValue(String(v))}`);
    return `    ${nameOf(code).padEnd(width)}  ${journalAmount(amount)}${t.length ? `  ; ${t.join(', ')}` : ''}`;
  };

  const out: string[] = [
    `; ${journalText(input.title)}`,
    '; Amounts in soles (PEN); debits positive, credits negative.',
    '',
    `commodity ${COMMODITY} 1000.00`,
    '',
  ];
  for (const a of input.accounts) {
    out.push(`account ${a.name}  ; type: ${TYPE_TAG[a.type] ?? 'A'}, code: ${a.code}`);
    out.push(`    ; ${journalText(a.label)}`);
  }
  out.push('');

  if (input.opening) {
    const lines = input.opening.balances.filter((b) => b.balance_cents !== 0);
    if (lines.length > 0) {
      out.push(`${input.opening.date} * ${journalText(input.opening.description)}`);
      for (const b of lines) out.push(posting(b.account_code, b.balance_cents));
      out.push('');
    }
  }

  const entries = [...input.entries].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  for (const e of entries) {
    out.push(`${e.date} * (${e.id}) ${journalText(e.description)}`);
    const meta = [`source: ${tagValue(`${e.source_type} ${e.source_id}`)}`];
    if (e.reverses_entry_id !== null) meta.push(`reverses: ${e.reverses_entry_id}`);
    out.push(`    ; ${meta.join(', ')}`);
    for (const p of e.postings) {
      const amount = p.debit_cents - p.credit_cents;
      if (amount !== 0) out.push(posting(p.account_code, amount, p.tags));
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

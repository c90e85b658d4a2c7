// The checks a month must pass before it is closed, in one function so that more can be added (the bank
// reconciliation of the month's statements, for one). Each gives {key, ok, detail}: detail is a message
// (i18n key and parameters) that says what was found; `items` names what is wrong when it is not ok.
//   fund_reconciliation  the fund's reconciliation of the month (src/fund/reports.ts) has no differences;
//   accounts             the maintained account of each contract with out-of-the-ordinary activity in the
//                        month (see contractsToVerify) equals the replay of its history, as `accounts:verify`
//                        does for all (too slow for a page on a large park);
//   ledger_balanced      the month's journal entries balance: Σ debits = Σ credits, and each entry does;
//   bank:…               per bank account, a statement covers the month's end and each statement ending in the
//                        month has a saved bank reconciliation, difference 0, still true (src/bank/reconcile-checks.ts).
// Queries run one after the other (the caller may pass a transaction), except inside reconciliation().
import type { Db } from '../db/knex.ts';
import { monthBounds, type Message, type Month } from '../domain/closings.ts';
import { formatSoles } from '../domain/money.ts';
import { reconciliation } from '../fund/reports.ts';
import { verifyAccounts } from '../accounts/maintain.ts';
import { bankChecksForMonth } from '../bank/reconcile-checks.ts';

export interface ClosingCheck {
  key: string;
  ok: boolean;
  /** What is checked (default: the i18n key `closings.check.<key>.title`), for checks whose key varies
   *  (one per bank account, say). */
  title?: Message;
  detail: Message;
  /** What is wrong, one message each (empty when ok). */
  items: Message[];
}

/** The keys, in the order the page shows them. */
export const CHECK_KEYS = ['fund_reconciliation', 'accounts', 'ledger_balanced'] as const;

const LIST_MAX = 10;
const listed = (names: string[]) => names.slice(0, LIST_MAX).join(', ') + (names.length > LIST_MAX ? ` … (+${names.length - LIST_MAX})` : '');

async function fundReconciliation(db: Db, from: string, to: string): Promise<ClosingCheck> {
  const recon = await reconciliation(db, from, to);
  const failing = recon.checks.filter((c) => c.difference_cents !== 0 || c.items.length > 0);
  return {
    key: 'fund_reconciliation', ok: recon.ok,
    detail: recon.ok ? { key: 'closings.check.fund_reconciliation.ok' }
      : { key: 'closings.check.fund_reconciliation.failed', params: { count: String(failing.length) } },
    items: failing.map((c) => ({ key: `closings.check.recon.${c.key}`, params: {
      difference: formatSoles(c.difference_cents), count: String(c.items.length) } })),
  };
}

/** What changes a contract's account other than a receipt recorded in date order: the replay from an earlier
 *  date (the incremental upkeep's hard case) or a new account. */
const ACCOUNT_EVENT_KINDS = ['created', 'reopened', 'deactivated', 'receipt_voided', 'accelerated', 'rescinded', 'withdrawn',
  'late_fees_waived', 'rescheduled', 'acceleration_undone'];

/**
 * The contracts whose maintained account the close verifies against a full replay: those with something
 * out of the ordinary dated in the month (signed, a resolution, a status going back, a rescission or a
 * withdrawal, a reversal) or a receipt of the month recorded after it ended (back-dated) or voided since.
 * Receipts recorded in date order, most of a month's activity, are left to the reconciliation's receivables
 * check (the maintained accounts against account 1201); replaying every contract with activity took 25–30 s
 * a month on a park of 4,000 contracts. `npm run cli -- accounts:verify` replays them all.
 */
export async function contractsToVerify(db: Db, from: string, to: string): Promise<number[]> {
  const ids = new Set<number>();
  const add = (rows: unknown[]) => { for (const r of rows) if (r !== null && r !== undefined) ids.add(Number(r)); };
  add(await db('contracts').whereBetween('date', [from, to]).pluck('id'));
  add(await db('account_events').whereBetween('date', [from, to]).distinct().pluck('contract_id'));
  add(await db('contract_events').whereBetween('date', [from, to]).whereIn('kind', ACCOUNT_EVENT_KINDS).distinct().pluck('contract_id'));
  // A receipt voided, or recorded after one of the same contract with a later date (a back-dated receipt).
  add(await db('receipts as r').whereBetween('r.date', [from, to])
    .andWhere((q) => q.where('r.status', 'void').orWhereExists(db('receipts as x').select(db.raw('1'))
      .whereRaw('x.contract_id = r.contract_id').andWhereRaw('x.id < r.id').andWhereRaw('x.date > r.date')))
    .distinct().pluck('r.contract_id'));
  return [...ids].sort((a, b) => a - b);
}

async function accounts(db: Db, from: string, to: string): Promise<ClosingCheck> {
  const ids = await contractsToVerify(db, from, to);
  const { checked, differences } = await verifyAccounts(db, ids);
  return {
    key: 'accounts', ok: differences.length === 0,
    detail: checked === 0 ? { key: 'closings.check.accounts.none' }
      : differences.length === 0 ? { key: 'closings.check.accounts.ok', params: { count: String(checked) } }
      : { key: 'closings.check.accounts.failed', params: { count: String(differences.length), checked: String(checked),
        contracts: listed(differences.map((d) => d.number)) } },
    items: differences.map((d) => ({ key: 'closings.check.accounts.item', params: { contract: d.number, what: d.what } })),
  };
}

async function ledgerBalanced(db: Db, from: string, to: string): Promise<ClosingCheck> {
  const entries = db('journal_entries').whereBetween('date', [from, to]).select('id');
  const [sum] = await db('journal_lines').whereIn('entry_id', entries).sum({ d: 'debit_cents', c: 'credit_cents' });
  const debits = Number(sum?.d ?? 0);
  const credits = Number(sum?.c ?? 0);
  // Each entry on its own too (an entry without lines counts as unbalanced, as the reconciliation says).
  const unbalanced = await db('journal_entries as e').leftJoin('journal_lines as l', 'l.entry_id', 'e.id')
    .whereBetween('e.date', [from, to]).groupBy('e.id').orderBy('e.id').select('e.id')
    .sum({ d: 'l.debit_cents', c: 'l.credit_cents' }).count({ n: 'l.id' });
  const bad = (unbalanced as { id: number; d: unknown; c: unknown; n: unknown }[])
    .filter((r) => Number(r.n) === 0 || Number(r.d ?? 0) !== Number(r.c ?? 0)).map((r) => `#${Number(r.id)}`);
  const ok = debits === credits && bad.length === 0;
  const params = { debits: formatSoles(debits), credits: formatSoles(credits) };
  return {
    key: 'ledger_balanced', ok,
    detail: ok ? { key: 'closings.check.ledger_balanced.ok', params }
      : { key: 'closings.check.ledger_balanced.failed', params: { ...params, entries: bad.length ? listed(bad) : '—' } },
    items: bad.map((id) => ({ key: 'closings.check.ledger_balanced.item', params: { entry: id } })),
  };
}

/** The month's checks, in CHECK_KEYS order. */
export async function closingChecks(db: Db, month: Month): Promise<ClosingCheck[]> {
  const { from, to } = monthBounds(month);
  return [
    await fundReconciliation(db, from, to),
    await accounts(db, from, to),
    await ledgerBalanced(db, from, to),
    ...(await bankChecksForMonth(db, month)).map((b): ClosingCheck => ({
      key: b.key, ok: b.ok, title: { key: 'closings.check.bank.title' }, detail: { key: 'closings.check.bank.text', params: { text: b.detail } }, items: [],
    })),
  ];
}

/**
 * What the checks of a month read, in one comparable value: the last row dated up to the month's end in each
 * table of dated records. closeMonth runs the checks before it takes the write lock (they take seconds on a
 * large park) and compares this under the lock, so that a write dated in the month made meanwhile is seen.
 */
export async function monthFingerprint(db: Db, month: Month): Promise<string> {
  const { to } = monthBounds(month);
  const out: string[] = [];
  for (const table of ['journal_entries', 'receipts', 'contract_events', 'account_events', 'spendings', 'cash_deposits', 'contracts']) {
    const r = await db(table).where('date', '<=', to).max({ m: 'id' }).first();
    out.push(`${table}:${r?.m ?? 0}`);
  }
  const voids = await db('receipts').where('date', '<=', to).andWhere('status', 'void').count({ n: '*' }).first();
  out.push(`void:${Number(voids?.n ?? 0)}`);
  return out.join(' ');
}

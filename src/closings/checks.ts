// The checks a month must pass before it is closed, in one function so that more can be added (the bank
// reconciliation of the month's statements, for one). Each gives {key, ok, detail}: detail is a message
// (i18n key and parameters) that says what was found; `items` names what is wrong when it is not ok.
//   fund_reconciliation  the fund's reconciliation of the month (src/fund/reports.ts) has no differences;
//   accounts             the maintained account of every contract with activity in the month equals the
//                        replay of its history (as `accounts:verify` does, but only those contracts: the
//                        whole park is too slow for a page);
//   ledger_balanced      the month's journal entries balance: Σ debits = Σ credits, and each entry does.
// Queries run one after the other (the caller may pass a transaction), except inside reconciliation().
import type { Db } from '../db/knex.ts';
import { monthBounds, type Message, type Month } from '../domain/closings.ts';
import { formatSoles } from '../domain/money.ts';
import { reconciliation } from '../fund/reports.ts';
import { verifyAccounts } from '../accounts/maintain.ts';

export interface ClosingCheck {
  key: string;
  ok: boolean;
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

/** Contracts with something dated in the month: signed, a receipt, an event, a resolution, a journal line. */
export async function contractsActiveIn(db: Db, from: string, to: string): Promise<number[]> {
  const ids = new Set<number>();
  const add = (rows: unknown[]) => { for (const r of rows) if (r !== null && r !== undefined) ids.add(Number(r)); };
  add(await db('contracts').whereBetween('date', [from, to]).pluck('id'));
  add(await db('receipts').whereBetween('date', [from, to]).distinct().pluck('contract_id'));
  add(await db('contract_events').whereBetween('date', [from, to]).distinct().pluck('contract_id'));
  add(await db('account_events').whereBetween('date', [from, to]).distinct().pluck('contract_id'));
  add(await db('journal_lines as l').join('journal_entries as e', 'e.id', 'l.entry_id')
    .whereBetween('e.date', [from, to]).whereNotNull('l.contract_id').distinct().pluck('l.contract_id'));
  return [...ids].sort((a, b) => a - b);
}

async function accounts(db: Db, from: string, to: string): Promise<ClosingCheck> {
  const ids = await contractsActiveIn(db, from, to);
  const { checked, differences } = await verifyAccounts(db, ids);
  return {
    key: 'accounts', ok: differences.length === 0,
    detail: differences.length === 0 ? { key: 'closings.check.accounts.ok', params: { count: String(checked) } }
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
  ];
}

// The reconciliation: five checks that the ledger agrees with the documents behind it. Each check
// gives a left and a right total and, when they differ, the documents and entries that explain it.
// Documents (receipts, refunds, spendings, cash deposits) belong to the period by their own date; their entries,
// and the reversals of those entries whatever their date, are compared with them document by
// document, so a receipt voided after the period nets to zero on both sides instead of showing as
// a timing difference.
import { cents, type Cents } from './money.ts';
import type { IsoDate } from './dates.ts';
import { BANK, CASH, FUND, MINISTRY, RECEIVABLES, SOURCE, inPeriod, net, rootsOf, type LedgerEntry, type LedgerLine } from './fund-reports.ts';

export interface ReconReceipt {
  id: number; number: string; date: IsoDate; amount_cents: number; status: string;
  contract_id: number; contract_number: string;
  municipal: boolean; // the contract's lot was municipal when it was sold
}
export interface ReconRefund { id: number; contract_id: number; contract_number: string; date: IsoDate; returned_cents: number }
export interface ReconSpending { id: number; date: IsoDate; amount_cents: number; status: string; project_code: string }
/** A deposit of the till's cash in the bank: it moves money between 1101 and 1102, and nothing else. */
export interface ReconDeposit { id: number; date: IsoDate; amount_cents: number; status: string; reference: string }
/** A bank statement line explained by an entry (bank fee, interest…): it moves the bank by the line's
 *  signed amount while its match stands (`valid`), nothing once undone (its entry reversed). */
export interface ReconBankExplanation { id: number; date: IsoDate; amount_cents: number; status: 'valid' | 'undone'; explanation: string }
export interface ReconContract { contract_id: number; contract_number: string; scheduled_outstanding_cents: number }

export interface ReconInput {
  from: IsoDate;
  to: IsoDate;
  entries: LedgerEntry[]; // the whole ledger
  receipts: ReconReceipt[];
  refunds: ReconRefund[];
  spendings: ReconSpending[];
  deposits?: ReconDeposit[];
  bankExplanations?: ReconBankExplanation[];
  subledger: ReconContract[]; // contracts live on `to`, with their scheduled outstanding on that day
  /** Account 1201 per contract on `to`, with the entries behind it (needed only where it differs), when
   *  the caller summed it in the database; otherwise it is summed from `entries`, then the whole ledger. */
  control?: Map<number | null, { amount: number; entries: LedgerEntry[] }>;
}

export const CHECKS = ['collections_fund', 'fund_municipal', 'cash_bank', 'receivables', 'balanced'] as const;
export type CheckKey = (typeof CHECKS)[number];

export type ItemReason =
  | 'amount_differs' | 'not_posted' | 'void_not_reversed' | 'no_document' | 'ministry_lot'
  | 'contract_mismatch' | 'date_differs' | 'duplicate' | 'unbalanced' | 'not_live';

export interface ReconItem {
  kind: 'receipt' | 'refund' | 'spending' | 'deposit' | 'bank_explanation' | 'entry' | 'contract';
  ref: string;
  date: IsoDate | null;
  expected_cents: Cents;
  actual_cents: Cents;
  entries: { id: number; date: IsoDate }[]; // the entries behind it
  reason: ItemReason;
}
export interface Check { key: CheckKey; left_cents: Cents; right_cents: Cents; difference_cents: Cents; items: ReconItem[] }
export interface Reconciliation { from: IsoDate; to: IsoDate; checks: Check[]; ok: boolean }

type Doc = { kind: 'receipt'; doc: ReconReceipt } | { kind: 'refund'; doc: ReconRefund } | { kind: 'spending'; doc: ReconSpending }
  | { kind: 'deposit'; doc: ReconDeposit } | { kind: 'bank_explanation'; doc: ReconBankExplanation };

const check = (key: CheckKey, left: number, right: number, items: ReconItem[]): Check =>
  ({ key, left_cents: cents(left), right_cents: cents(right), difference_cents: cents(left - right), items });

const item = (kind: ReconItem['kind'], ref: string, date: IsoDate | null, expected: number, actual: number,
  entries: LedgerEntry[], reason: ItemReason): ReconItem => ({
  kind, ref, date, expected_cents: cents(expected), actual_cents: cents(actual), reason,
  entries: entries.map((e) => ({ id: e.id, date: e.date })),
});

export function reconcile(input: ReconInput): Reconciliation {
  const { from, to, entries } = input;
  const roots = rootsOf(entries);
  const receipts = new Map(input.receipts.map((r) => [String(r.id), r]));
  const refunds = new Map(input.refunds.map((r) => [String(r.id), r]));
  const spendings = new Map(input.spendings.map((s) => [String(s.id), s]));
  const deposits = new Map((input.deposits ?? []).map((d) => [String(d.id), d]));
  const explanations = new Map((input.bankExplanations ?? []).map((x) => [String(x.id), x]));

  /** The document an entry belongs to: the one named by the entry it (ultimately) reverses. */
  const docOf = (e: LedgerEntry): Doc | null => {
    const root = roots.get(e.id)!;
    if (root.source_type === SOURCE.receipt) { const d = receipts.get(root.source_id); return d ? { kind: 'receipt', doc: d } : null; }
    if (root.source_type === SOURCE.rescission) { const d = refunds.get(root.source_id); return d ? { kind: 'refund', doc: d } : null; }
    if (root.source_type === SOURCE.spending) { const d = spendings.get(root.source_id); return d ? { kind: 'spending', doc: d } : null; }
    if (root.source_type === SOURCE.cashDeposit) { const d = deposits.get(root.source_id); return d ? { kind: 'deposit', doc: d } : null; }
    if (root.source_type === SOURCE.bankExplanation) {
      const d = explanations.get(root.source_id);
      return d ? { kind: 'bank_explanation', doc: d } : null;
    }
    return null;
  };
  const entriesOf = new Map<string, LedgerEntry[]>();
  const orphans: LedgerEntry[] = []; // money entries that no document explains
  for (const e of entries) {
    const d = docOf(e);
    if (d) {
      const k = `${d.kind}:${d.doc.id}`;
      entriesOf.set(k, [...(entriesOf.get(k) ?? []), e]);
    } else if (touches(e, [CASH, BANK, FUND, MINISTRY])) {
      orphans.push(e);
    }
  }
  const of = (kind: Doc['kind'], id: number) => entriesOf.get(`${kind}:${id}`) ?? [];
  const sumNet = (list: LedgerEntry[], accounts: string[], where?: (l: LedgerLine) => boolean) =>
    list.reduce((s, e) => s + net(e, accounts, where), 0);
    const orphanDate = (e: LedgerEntry) => roots.get(e.id)!.date;
  const periodReceipts = input.receipts.filter((r) => inPeriod(r.date, from, to));
  const periodRefunds = input.refunds.filter((r) => inPeriod(r.date, from, to));
  const periodSpendings = input.spendings.filter((s) => inPeriod(s.date, from, to));
  const periodDeposits = (input.deposits ?? []).filter((d) => inPeriod(d.date, from, to));

  // 1. What the receipts say was collected against what their entries credited to the fund (or, for a
  //    lot that is not municipal, to the ministry's account: the rule is checked by 2).
  const c1: ReconItem[] = [];
  let left1 = 0, right1 = 0;
  for (const r of periodReceipts) {
    const expected = r.status === 'valid' ? r.amount_cents : 0;
    const list = of('receipt', r.id);
    const actual = 0 - sumNet(list, [FUND, MINISTRY]);
    left1 += expected;
    right1 += actual;
    if (expected !== actual) {
      const reason = list.length === 0 ? 'not_posted' : r.status !== 'valid' && actual === r.amount_cents ? 'void_not_reversed'
        : 'amount_differs';
      c1.push(item('receipt', r.number, r.date, expected, actual, list, reason));
    }
  }
  for (const e of orphans) {
    if (!inPeriod(orphanDate(e), from, to) || roots.get(e.id)!.source_type !== SOURCE.receipt) continue;
    const actual = 0 - net(e, [FUND, MINISTRY]);
    if (actual === 0) continue;
    right1 += actual;
    c1.push(item('entry', `#${e.id}`, e.date, 0, actual, [e], 'no_document'));
  }

  // 2. Entry by entry: every credit to the fund comes from a receipt on a municipal lot.
  const c2: ReconItem[] = [];
  let left2 = 0, right2 = 0;
  const proven = new Set<number>();
  for (const e of entries) {
    if (e.reverses_entry_id !== null || !inPeriod(e.date, from, to)) continue;
    const credits = e.lines.filter((l) => l.account_code === FUND && l.credit_cents > 0);
    if (credits.length === 0) continue;
    const credited = credits.reduce((s, l) => s + l.credit_cents, 0);
    left2 += credited;
    const d = docOf(e);
    const r = d?.kind === 'receipt' ? d.doc : null;
    let reason: ItemReason | null = null;
    if (!r) reason = 'no_document';
    else if (!r.municipal) reason = 'ministry_lot';
    else if (credits.some((l) => l.contract_id !== null && l.contract_id !== r.contract_id)) reason = 'contract_mismatch';
    else if (e.date !== r.date) reason = 'date_differs';
    else if (credited !== r.amount_cents) reason = 'amount_differs';
    if (reason === null && r && proven.has(r.id)) reason = 'duplicate';
    if (reason === null && r) proven.add(r.id);
    else c2.push(item('entry', r ? r.number : `#${e.id}`, e.date, r?.municipal ? r.amount_cents : 0, credited, [e], reason ?? 'no_document'));
  }
  for (const r of periodReceipts) {
    if (!r.municipal) continue;
    right2 += r.amount_cents;
    if (!proven.has(r.id) && !c2.some((i) => i.ref === r.number)) c2.push(item('receipt', r.number, r.date, r.amount_cents, 0, [], 'not_posted'));
  }

  // 3. Cash and bank against receipts − refunds − spending, document by document.
  const c3: ReconItem[] = [];
  let left3 = 0, right3 = 0;
  const cashDocs: { kind: Doc['kind']; id: number; ref: string; date: IsoDate; expected: number }[] = [
    ...periodReceipts.map((r) => ({ kind: 'receipt' as const, id: r.id, ref: r.number, date: r.date, expected: r.status === 'valid' ? r.amount_cents : 0 })),
    ...periodRefunds.map((r) => ({ kind: 'refund' as const, id: r.id, ref: r.contract_number, date: r.date, expected: -r.returned_cents })),
    ...periodSpendings.map((s) => ({ kind: 'spending' as const, id: s.id, ref: `${s.project_code} #${s.id}`, date: s.date, expected: s.status === 'valid' ? -s.amount_cents : 0 })),
    // A bank line explained (fee, interest…) moves the bank by its amount: the statement is its document.
    ...(input.bankExplanations ?? []).filter((x) => inPeriod(x.date, from, to)).map((x) => ({
      kind: 'bank_explanation' as const, id: x.id, ref: `#${x.id}`, date: x.date, expected: x.status === 'valid' ? x.amount_cents : 0 })),
  ];
  for (const d of cashDocs) {
    const list = of(d.kind, d.id);
    const actual = sumNet(list, [CASH, BANK]);
    left3 += actual;
    right3 += d.expected;
    if (actual !== d.expected) c3.push(item(d.kind, d.ref, d.date, d.expected, actual, list, list.length === 0 ? 'not_posted' : 'amount_differs'));
  }
  //    A deposit moves its amount from caja to banco and so nets to zero here; but each one must move
  //    exactly its amount (nothing once reversed), and no money may cross between them without one.
  for (const d of periodDeposits) {
    const list = of('deposit', d.id);
    const combined = sumNet(list, [CASH, BANK]);
    left3 += combined;
    const expected = d.status === 'valid' ? d.amount_cents : 0;
    const toBank = sumNet(list, [BANK]);
    if (combined !== 0 || toBank !== expected) {
      c3.push(item('deposit', d.reference, d.date, expected, toBank, list, list.length === 0 ? 'not_posted' : 'amount_differs'));
    }
  }
  for (const e of orphans) {
    if (!inPeriod(orphanDate(e), from, to)) continue;
    const actual = net(e, [CASH, BANK]);
    const toBank = net(e, [BANK]);
    if (actual === 0 && toBank === 0) continue;
    left3 += actual;
    c3.push(item('entry', `#${e.id}`, e.date, 0, actual === 0 ? toBank : actual, [e], 'no_document'));
  }

  // 4. The receivables subledger (contracts' scheduled outstanding) against control account 1201.
  const c4: ReconItem[] = [];
  const control = new Map<number | null, { amount: number; ids: LedgerEntry[] }>(
    [...(input.control ?? [])].map(([k, v]) => [k, { amount: v.amount, ids: v.entries }]));
  if (!input.control) for (const e of entries) {
    if (e.date > to) continue;
    for (const l of e.lines) {
      if (l.account_code !== RECEIVABLES) continue;
      const c = control.get(l.contract_id) ?? { amount: 0, ids: [] };
      c.amount += l.debit_cents - l.credit_cents;
      if (!c.ids.includes(e)) c.ids.push(e);
      control.set(l.contract_id, c);
    }
  }
  let left4 = 0, right4 = 0;
  for (const s of input.subledger) {
    const c = control.get(s.contract_id) ?? { amount: 0, ids: [] };
    control.delete(s.contract_id);
    left4 += s.scheduled_outstanding_cents;
    right4 += c.amount;
    if (c.amount !== s.scheduled_outstanding_cents) {
      c4.push(item('contract', s.contract_number, to, s.scheduled_outstanding_cents, c.amount, c.ids, 'amount_differs'));
    }
  }
  for (const [id, c] of control) {
    right4 += c.amount;
    if (c.amount !== 0) c4.push(item('contract', id === null ? '—' : `#${id}`, to, 0, c.amount, c.ids, id === null ? 'no_document' : 'not_live'));
  }

  // 5. Every entry balances.
  const c5: ReconItem[] = [];
  let debits = 0, credits = 0;
  for (const e of entries) {
    if (!inPeriod(e.date, from, to)) continue;
    const d = e.lines.reduce((s, l) => s + l.debit_cents, 0);
    const c = e.lines.reduce((s, l) => s + l.credit_cents, 0);
    debits += d;
    credits += c;
    if (d !== c || e.lines.length === 0) c5.push(item('entry', `#${e.id}`, e.date, d, c, [e], 'unbalanced'));
  }

  const checks = [
    check('collections_fund', left1, right1, c1),
    check('fund_municipal', left2, right2, c2),
    check('cash_bank', left3, right3, c3),
    check('receivables', left4, right4, c4),
    check('balanced', debits, credits, c5),
  ];
  return { from, to, checks, ok: checks.every((c) => c.difference_cents === 0 && c.items.length === 0) };
}

function touches(e: LedgerEntry, accounts: string[]): boolean {
  return e.lines.some((l) => accounts.includes(l.account_code));
}

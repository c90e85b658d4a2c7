// The ledger's vocabulary, in one place: the account codes the rules post to (their hledger names
// and labels are in the migrations) and the kinds of source document an entry comes from
// (journal_entries.source_type). Reports, postings and the reconciliation all read these.

export const ACCOUNTS = {
  cash: '1101',
  bank: '1102',
  receivables: '1201',
  deferredIncome: '2101',
  /** Collections on a lot that is not municipal: owed to the ministry, never to the fund. */
  ministryCollections: '2201',
  fund: '3101',
  /** Memorandum (cuentas de orden): late fees waived by resolution, debit and its contra, credit. */
  waivedLateFees: '0701',
  waivedLateFeesContra: '0901',
  /** Bank statement lines explained without a book counterpart (migration …000006): the bank's fees and
   *  charges (an expense of the municipality, not of the fund), the interest it pays (income, not the
   *  fund: the fund is fed only by lot collections), and a bank error or an unknown movement held until it
   *  is cleared up (partidas por regularizar). */
  bankFees: '6391',
  bankInterest: '7721',
  bankSuspense: '1691',
} as const;

export const SOURCE_TYPES = {
  activation: 'contract_activation',
  deactivation: 'contract_deactivation',
  receipt: 'receipt',
  receiptVoid: 'receipt_void',
  adjustment: 'receipt_adjustment',
  rescission: 'rescission',
  spending: 'spending',
  spendingReversal: 'spending_reversal',
  /** Cash taken from the till to the bank: Dr 1102 / Cr 1101, nothing else. */
  cashDeposit: 'cash_deposit',
  cashDepositReversal: 'cash_deposit_reversal',
  /** A late-fee waiver by resolution: memorandum lines only (fees are income only when paid). */
  waiver: 'late_fee_waiver',
  /** A reschedule: receivables (1201) brought to the new schedule against deferred income (2101). */
  reschedule: 'reschedule',
  /** A bank statement line explained (bank fee, interest, bank error, other): 1102 against the explanation's
   *  account; source_id = the bank match (bank_matches.id). Its undo posts the mirror entry. */
  bankExplanation: 'bank_explanation',
  bankExplanationReversal: 'bank_explanation_reversal',
} as const;

// The bank accounts finance imports statements for: name, bank, account number (unique) and the
// column mapping of the bank's CSV export. Each write one transaction with its audit row.
import type { Db } from '../db/knex.ts';
import { audit, diff, type Actor } from '../audit/audit.ts';
import { FormError, notFound } from '../web/errors.ts';
import { ACCOUNTS } from '../domain/accounts.ts';
import type { BankMapping } from '../domain/bank-csv.ts';
import { bankAccountsByNumber, findBankAccount, type BankAccountRow } from './queries.ts';

export interface BankAccountInput {
  name: string;
  bank_name: string;
  account_number: string;
  mapping: BankMapping;
}

const isUniqueViolation = (err: unknown): boolean => {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === '23505' || /UNIQUE constraint failed/.test(e?.message ?? '');
};

async function numberTaken(db: Db, accountNumber: string, exceptId?: number): Promise<void> {
  const same = (await bankAccountsByNumber(db, accountNumber)).find((a) => a.id !== exceptId);
  if (same) throw new FormError(409, { account_number: { key: 'bank.errors.number_taken', params: { name: same.name } } });
}

export async function getBankAccount(db: Db, id: number): Promise<BankAccountRow> {
  const account = await findBankAccount(db, id);
  if (!account) throw notFound();
  return account;
}

/** A new bank account, kept in ledger account 1102 (banco), the only bank account of the ledger. */
export async function createBankAccount(db: Db, actor: Actor, input: BankAccountInput): Promise<number> {
  try {
    return await db.transaction(async (trx) => {
      await numberTaken(trx, input.account_number);
      const fields = {
        name: input.name, bank_name: input.bank_name, account_number: input.account_number, currency: 'PEN',
        ledger_account_code: ACCOUNTS.bank, mapping: JSON.stringify(input.mapping), status: 'active',
      };
      const [row] = await trx('bank_accounts').insert({ ...fields, created_by: actor.id, created_at: new Date().toISOString() }).returning('id');
      const id = Number(typeof row === 'object' ? row.id : row);
      await audit(trx, actor, 'bank.account_created', 'bank_account', id, fields);
      return id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new FormError(409, { account_number: { key: 'bank.errors.number_taken', params: { name: input.account_number } } });
    throw err;
  }
}

export async function updateBankAccount(db: Db, actor: Actor, id: number, input: BankAccountInput): Promise<void> {
  try {
    await db.transaction(async (trx) => {
      const account = await getBankAccount(trx, id);
      await numberTaken(trx, input.account_number, id);
      const after = { name: input.name, bank_name: input.bank_name, account_number: input.account_number, mapping: JSON.stringify(input.mapping) };
      const changes = diff(account as unknown as Record<string, unknown>, after);
      if (Object.keys(changes).length === 0) return;
      await trx('bank_accounts').where({ id }).update(after);
      await audit(trx, actor, 'bank.account_updated', 'bank_account', id, changes);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new FormError(409, { account_number: { key: 'bank.errors.number_taken', params: { name: input.account_number } } });
    throw err;
  }
}

// The demo park: a clearly marked fictitious version of Ilo's 80-ha industrial park, so that a
// new install can be tried at once. Runs only on an empty database.
import type { Knex } from 'knex';
import { seedBuyer, seedUsers } from './demo/users.ts';
import { seedLots } from './demo/lots.ts';
import { seedFirms } from './demo/firms.ts';
import { seedSales } from './demo/sales.ts';
import { seedPayments } from './demo/payments.ts';
import { seedFund } from './demo/fund.ts';
import { seedBank, seedBankStatement } from './demo/bank.ts';

export async function seed(knex: Knex): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx('settings').insert({ key: 'demo_data', value: 'yes' });
    await seedUsers(trx);
    // Ilo's ordinance rate (1.2% a month), in force for the whole demo history.
    await trx('moratorium_rates').insert({ effective_from: '2010-01-01', monthly_rate_ppm: 12000, ordinance: 'Demo: O.M. 000-2010-MPI', created_at: new Date().toISOString() });
  });
  // Each area seeds its own part, in dependency order.
  await seedLots(knex);
  await seedFirms(knex);
  // Payments follow the sales (and come before the fund, whose spending they pay for).
  await seedSales(knex);
  await seedPayments(knex);
  await seedFund(knex);
  await seedBank(knex);
  await seedBankStatement(knex);
  await seedBuyer(knex);
  // The demo's past payments queued receipt notices to its fictitious firms: history, not news, and not
  // to be sent (a demo started with SMTP_URL mails nobody). The outbox starts empty, as on a real install.
  await knex('mail_outbox').where({ status: 'pending' }).delete();
}

import type { Knex } from 'knex';

// Each contract's account kept up to date in the same transaction as every act that changes it (the
// statement replay's state after the contract's payments): pages read these rows instead of replaying
// every contract. Derived state: `npm run cli -- accounts:rebuild` makes it anew from the history and
// `accounts:verify` compares it with a full replay.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contract_accounts', (t) => {
    t.integer('contract_id').primary().references('contracts.id');
    t.string('valid_from', 10).notNullable(); // the last payment applied or the acceleration
    t.bigInteger('scheduled_outstanding_cents').notNullable();
    t.bigInteger('total_paid_cents').notNullable();
    t.bigInteger('principal_paid_cents').notNullable();
    t.bigInteger('interest_paid_cents').notNullable();
    t.bigInteger('late_fee_closed_cents').notNullable(); // late fees of the stretches closed by payments
    t.bigInteger('late_fee_paid_cents').notNullable();
    t.integer('down_payment_paid').notNullable();
    t.integer('paid_off').notNullable();
    t.string('paid_off_on', 10).nullable();
    t.string('first_open_due_date', 10).nullable(); // oldest installment (n ≥ 1) not fully paid
    t.string('updated_at', 32).notNullable();
  });
  await knex.schema.createTable('account_rows', (t) => {
    t.integer('contract_id').notNullable().references('contracts.id');
    t.integer('n').notNullable();
    t.string('due_date', 10).notNullable(); // effective (after acceleration)
    t.string('scheduled_due_date', 10).notNullable();
    t.bigInteger('principal_cents').notNullable();
    t.bigInteger('interest_cents').notNullable();
    t.bigInteger('principal_paid_cents').notNullable();
    t.bigInteger('interest_paid_cents').notNullable();
    t.bigInteger('late_fee_cents').notNullable();
    t.bigInteger('late_fee_paid_cents').notNullable();
    t.string('accrued_to', 10).notNullable();
    t.string('paid_on', 10).nullable();
    // principal + interest − paid: what still bears late fees; > 0 is the row still open
    t.bigInteger('unpaid_cents').notNullable();
    t.primary(['contract_id', 'n']);
  });
  // Portfolio pages read the open rows by due date only.
  await knex.raw('CREATE INDEX account_rows_open_by_due ON account_rows (due_date, contract_id) WHERE unpaid_cents > 0');
  await knex.schema.createTable('account_allocations', (t) => {
    t.integer('receipt_id').notNullable().references('receipts.id');
    t.integer('n').notNullable();
    t.integer('contract_id').notNullable().references('contracts.id');
    t.bigInteger('late_fee_cents').notNullable();
    t.bigInteger('interest_cents').notNullable();
    t.bigInteger('principal_cents').notNullable();
    t.primary(['receipt_id', 'n']);
    t.index(['contract_id']);
  });
  // A payment reads its own contract's receivables lines; the plan reads contracts by lot.
  await knex.schema.alterTable('journal_lines', (t) => {
    t.index(['contract_id', 'account_code']);
    t.index(['project_id']); // the budget reads only the lines charged to projects
  });
  await knex.schema.alterTable('contracts', (t) => t.index(['lot_id']));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('contracts', (t) => t.dropIndex(['lot_id']));
  await knex.schema.alterTable('journal_lines', (t) => {
    t.dropIndex(['project_id']);
    t.dropIndex(['contract_id', 'account_code']);
  });
  await knex.schema.dropTable('account_allocations');
  await knex.schema.dropTable('account_rows');
  await knex.schema.dropTable('contract_accounts');
}

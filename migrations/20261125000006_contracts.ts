import type { Knex } from 'knex';

// Sale contracts keep the terms they were signed with, and their schedule as built then.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('contracts', (t) => {
    t.increments('id');
    t.string('number', 16).notNullable().unique(); // CV-2026-0007
    t.integer('year').notNullable();
    t.integer('seq').notNullable();
    t.integer('lot_id').notNullable().references('lots.id');
    t.string('firm_ruc', 11).notNullable().references('firms.ruc');
    t.string('date', 10).notNullable();
    t.bigInteger('list_price_cents').notNullable();
    t.bigInteger('price_cents').notNullable();
    t.string('price_reason', 500).nullable(); // required when price ≠ list price
    t.integer('down_payment_ppm').notNullable();
    t.bigInteger('down_payment_cents').notNullable();
    t.bigInteger('financed_cents').notNullable();
    t.integer('installment_count').notNullable();
    t.integer('annual_rate_ppm').notNullable();
    t.integer('rescission_threshold_ppm').notNullable();
    // awaiting_down_payment | active | paid_off | rescinded
    t.string('status', 32).notNullable();
    t.string('activated_on', 10).nullable();
    t.string('paid_off_on', 10).nullable();
    t.string('accelerated_on', 10).nullable();
    t.string('acceleration_resolution', 64).nullable();
    t.string('rescinded_on', 10).nullable();
    t.string('rescission_resolution', 64).nullable();
    t.integer('created_by').nullable();
    t.string('created_at', 32).notNullable();
    t.unique(['year', 'seq']);
    t.index(['firm_ruc']);
  });
  // A lot never has two live contracts: the database itself refuses the second one.
  await knex.raw(`CREATE UNIQUE INDEX contracts_one_live_per_lot ON contracts (lot_id)
    WHERE status IN ('awaiting_down_payment', 'active', 'paid_off')`);

  await knex.schema.createTable('schedule_rows', (t) => {
    t.integer('contract_id').notNullable().references('contracts.id');
    t.integer('n').notNullable(); // 0 = down payment
    t.string('due_date', 10).notNullable();
    t.bigInteger('principal_cents').notNullable();
    t.bigInteger('interest_cents').notNullable();
    t.bigInteger('installment_cents').notNullable();
    t.bigInteger('balance_cents').notNullable();
    t.primary(['contract_id', 'n']);
  });

  // The contract's history: negotiated price, activation, acceleration, rescission, payoff.
  await knex.schema.createTable('contract_events', (t) => {
    t.increments('id');
    t.integer('contract_id').notNullable().references('contracts.id');
    t.string('kind', 32).notNullable();
    t.string('date', 10).notNullable();
    t.text('details').nullable(); // JSON
    t.integer('recorded_by').nullable();
    t.string('recorded_at', 32).notNullable();
    t.index(['contract_id']);
  });

  await knex.schema.createTable('rescissions', (t) => {
    t.increments('id');
    t.integer('contract_id').notNullable().unique().references('contracts.id');
    t.string('resolution_number', 64).notNullable();
    t.string('resolution_date', 10).notNullable();
    t.bigInteger('received_cents').notNullable(); // all the buyer paid
    t.bigInteger('compensation_cents').notNullable(); // kept for the use of the lot (art. 1563)
    t.bigInteger('penalty_cents').notNullable(); // kept as agreed penalty
    t.bigInteger('returned_cents').notNullable(); // received − compensation − penalty
    t.integer('recorded_by').nullable();
    t.string('recorded_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rescissions');
  await knex.schema.dropTable('contract_events');
  await knex.schema.dropTable('schedule_rows');
  await knex.schema.dropTable('contracts');
}

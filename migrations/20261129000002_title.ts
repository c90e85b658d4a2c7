import type { Knex } from 'knex';

// From a contract to a title (issue 11): the assignment of a contract to another firm, the
// constancia de cancelación issued on payoff, the formalisation track (minuta → escritura →
// inscrita) and the lot's registry fields; and, on each receipt, the firm that paid it (so that a
// receipt issued before an assignment keeps printing the firm that paid, not the contract's new one).
export async function up(knex: Knex): Promise<void> {
  // Cesión de posición contractual: one row per assignment; the contract's firm_ruc becomes to_ruc.
  await knex.schema.createTable('assignments', (t) => {
    t.increments('id');
    t.integer('contract_id').notNullable().references('contracts.id');
    t.string('from_ruc', 11).notNullable().references('firms.ruc');
    t.string('to_ruc', 11).notNullable().references('firms.ruc');
    t.string('resolution_number', 64).notNullable();
    t.string('resolution_date', 10).notNullable();
    t.string('reason', 500).nullable();
    t.integer('allow_overdue').notNullable().defaultTo(0); // the resolution authorises it with overdue installments
    t.integer('overdue_installments').notNullable().defaultTo(0); // how many were overdue on the resolution date
    t.bigInteger('overdue_cents').notNullable().defaultTo(0); // and what they owed that day (late fees included)
    t.integer('recorded_by').nullable();
    t.string('recorded_at', 32).notNullable();
    t.index(['contract_id']);
  });

  // The firm that paid each receipt (the contract's holder on the receipt's date).
  await knex.schema.alterTable('receipts', (t) => {
    t.string('payer_ruc', 11).nullable();
  });
  await knex.raw('UPDATE receipts SET payer_ruc = (SELECT c.firm_ruc FROM contracts c WHERE c.id = receipts.contract_id)');

  // Constancia de cancelación CDC-YYYY-NNNN (per year of the payoff date, no gaps). Never deleted: a
  // reversal of the payoff's receipt marks it void, and the next payoff gets a new number.
  await knex.schema.createTable('payoff_certificates', (t) => {
    t.increments('id');
    t.integer('contract_id').notNullable().references('contracts.id');
    t.string('number', 16).notNullable().unique();
    t.integer('year').notNullable();
    t.integer('seq').notNullable();
    t.string('date', 10).notNullable(); // the payoff date
    t.string('firm_ruc', 11).notNullable(); // the buyer it was issued to
    t.bigInteger('total_paid_cents').notNullable(); // every valid receipt of the contract when issued
    t.text('receipts').notNullable(); // JSON [{number, date, amount_cents}] of those receipts
    t.string('status', 8).notNullable().defaultTo('valid'); // valid | void
    t.string('issued_at', 32).notNullable();
    t.integer('issued_by').nullable();
    t.string('voided_at', 32).nullable();
    t.string('void_reason', 500).nullable();
    t.unique(['year', 'seq']);
    t.index(['contract_id']);
  });
  await knex.raw(`CREATE UNIQUE INDEX payoff_certificates_one_valid ON payoff_certificates (contract_id) WHERE status = 'valid'`);

  // The formalisation track: one row per stage reached, never edited.
  await knex.schema.createTable('formalisation_steps', (t) => {
    t.increments('id');
    t.integer('contract_id').notNullable().references('contracts.id');
    t.string('stage', 16).notNullable(); // minuta | escritura | inscrita
    t.string('stage_date', 10).notNullable();
    t.string('resolution_number', 64).notNullable();
    t.string('resolution_date', 10).notNullable();
    t.string('notary', 200).nullable();
    t.string('registry_entry', 64).nullable(); // partida / asiento (required for inscrita)
    t.string('notes', 1000).nullable();
    t.integer('recorded_by').nullable();
    t.string('recorded_at', 32).notNullable();
    t.unique(['contract_id', 'stage']);
  });

  // The lot as the land registry describes it (all optional): what the printed contract cites.
  await knex.schema.alterTable('lots', (t) => {
    t.string('registry_partida', 32).nullable(); // partida electrónica (SUNARP)
    t.string('boundary_north', 300).nullable();
    t.string('boundary_south', 300).nullable();
    t.string('boundary_east', 300).nullable();
    t.string('boundary_west', 300).nullable();
    t.bigInteger('perimeter_cm').nullable(); // metres with two decimals
  });

  // Contracts already paid off get their constancia now, numbered by payoff date.
  const paidOff = await knex('contracts').where({ status: 'paid_off' }).orderBy([{ column: 'paid_off_on' }, { column: 'id' }])
    .select('id', 'firm_ruc', 'paid_off_on', 'date');
  const now = new Date().toISOString();
  for (const c of paidOff) {
    const date: string = c.paid_off_on ?? c.date;
    const year = Number(date.slice(0, 4));
    const name = `CDC-${year}`;
    const [row] = await knex('counters').insert({ name, last_value: 1 })
      .onConflict('name').merge({ last_value: knex.raw('?? + 1', ['counters.last_value']) })
      .returning('last_value');
    const seq = Number(row.last_value);
    const receipts = await knex('receipts').where({ contract_id: c.id, status: 'valid' }).orderBy([{ column: 'date' }, { column: 'id' }])
      .select('number', 'date', 'amount_cents');
    const list = receipts.map((r: { number: string; date: string; amount_cents: unknown }) => ({
      number: r.number, date: r.date, amount_cents: Number(r.amount_cents),
    }));
    await knex('payoff_certificates').insert({
      contract_id: c.id, number: `CDC-${year}-${String(seq).padStart(4, '0')}`, year, seq, date, firm_ruc: c.firm_ruc,
      total_paid_cents: list.reduce((s: number, r: { amount_cents: number }) => s + r.amount_cents, 0),
      receipts: JSON.stringify(list), status: 'valid', issued_at: now, issued_by: null,
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  await knex('counters').where('name', 'like', 'CDC-%').delete();
  await knex.schema.alterTable('lots', (t) => {
    t.dropColumn('perimeter_cm');
    t.dropColumn('boundary_west');
    t.dropColumn('boundary_east');
    t.dropColumn('boundary_south');
    t.dropColumn('boundary_north');
    t.dropColumn('registry_partida');
  });
  await knex.schema.dropTable('formalisation_steps');
  await knex.raw('DROP INDEX payoff_certificates_one_valid');
  await knex.schema.dropTable('payoff_certificates');
  await knex.schema.alterTable('receipts', (t) => {
    t.dropColumn('payer_ruc');
  });
  await knex.schema.dropTable('assignments');
}

import type { Knex } from 'knex';

// Land: lots (areas in integer dm², prices in integer céntimos per m²), common areas, and the
// transfers of ministry lots to the municipality.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('lots', (t) => {
    t.increments('id');
    t.string('code', 16).notNullable().unique(); // block + number, e.g. C-07
    t.string('block', 8).notNullable();
    t.integer('number').notNullable();
    t.bigInteger('area_dm2').notNullable();
    t.string('land_use', 64).notNullable();
    t.string('owner', 16).notNullable(); // municipal | ministry
    t.bigInteger('price_per_m2_cents').notNullable();
    t.string('status', 32).notNullable().defaultTo('available');
    t.text('outline').nullable(); // JSON [[x,y],…] in metres, park coordinates (for the map)
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.index(['block']);
    t.index(['owner', 'status']);
  });
  await knex.schema.createTable('lot_transfers', (t) => {
    t.increments('id');
    t.integer('lot_id').notNullable().references('lots.id');
    t.string('resolution_number', 64).notNullable();
    t.string('resolution_date', 10).notNullable();
    t.integer('recorded_by').nullable();
    t.string('recorded_at', 32).notNullable();
  });
  await knex.schema.createTable('common_areas', (t) => {
    t.increments('id');
    t.string('name', 128).notNullable();
    t.string('kind', 16).notNullable(); // road | green | other
    t.bigInteger('area_dm2').notNullable();
    t.text('outline').nullable();
    t.string('created_at', 32).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('common_areas');
  await knex.schema.dropTable('lot_transfers');
  await knex.schema.dropTable('lots');
}

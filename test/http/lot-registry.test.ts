// A lot's registry fields (partida electrónica, boundaries by side, perimeter): entered on the lot form
// (also for a sold lot), shown on the lot page, cited by the printed contract ("por inscribir" when
// missing); GET /lots.csv keeps its columns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, login, submit, textOf, type Agent, type TestApp } from '../support/app.ts';
import { insertLot } from '../support/sales.ts';
import { pay, sale, setRates } from '../service/sales-fixtures.ts';
import { fieldError } from './lots-helpers.ts';

const TODAY = '2026-11-25';
let t: TestApp;
let manager: Agent;
let sold: { id: number; lot_code: string; firm_ruc: string };

beforeAll(async () => {
  t = await testApp({ today: TODAY });
  await setRates(t.db, [['2010-01-01', 12000]]);
  await insertLot(t.db, { code: 'C-07', area_dm2: 125_050, price_per_m2_cents: 12_000 });
  sold = await sale(t.db, { date: '2026-06-10', today: TODAY });
  await pay(t.db, sold.id, '2026-06-10', 1_500_000, TODAY);
  manager = await login(t.app, 'gerente');
});
afterAll(async () => { await t.close(); });

const base = { area_m2: '1250.50', land_use: 'metalworking', owner: 'municipal', price_per_m2: '120.00' };
const registry = {
  registry_partida: '11023456', boundary_north: 'Con la Av. Industrial, en 40.00 m', boundary_south: 'Con el lote C-08, en 40.00 m',
  boundary_east: 'Con el lote C-06, en 31.26 m', boundary_west: 'Con la calle 3, en 31.26 m', perimeter_m: '142.52',
};

describe('the lot form', () => {
  it('stores the registry fields (perimeter in cm) and the lot page shows them', async () => {
    const res = await submit(manager, '/lots/C-07/edit', '/lots/C-07', { ...base, ...registry });
    expect(res.status).toBe(303);
    expect(await t.db('lots').where({ code: 'C-07' }).first('registry_partida', 'boundary_north', 'boundary_south', 'boundary_east', 'boundary_west', 'perimeter_cm'))
      .toEqual({
        registry_partida: '11023456', boundary_north: 'Con la Av. Industrial, en 40.00 m', boundary_south: 'Con el lote C-08, en 40.00 m',
        boundary_east: 'Con el lote C-06, en 31.26 m', boundary_west: 'Con la calle 3, en 31.26 m', perimeter_cm: 14_252,
      });
    const page = textOf((await manager.get('/lots/C-07')).text);
    expect(page).toContain('Datos registrales Partida electrónica 11023456 Lindero norte Con la Av. Industrial, en 40.00 m '
      + 'Lindero sur Con el lote C-08, en 40.00 m Lindero este Con el lote C-06, en 31.26 m Lindero oeste Con la calle 3, en 31.26 m Perímetro 142.52 m');
    const form = (await manager.get('/lots/C-07/edit')).text;
    expect(form).toContain('name="perimeter_m" type="text" value="142.52"');
    expect(form).toContain('name="registry_partida" type="text" value="11023456"');
    const audit = await t.db('audit_log').where({ action: 'lot.update', entity_id: 'C-07' }).first();
    expect(JSON.parse(audit.details)).toMatchObject({ registry_partida: [null, '11023456'], perimeter_cm: [null, 14_252] });
  });

  it('refuses a perimeter that is not metres with two decimals (400), nothing written', async () => {
    for (const perimeter_m of ['142,5', '142.525', '-3', '100001']) {
      const res = await submit(manager, '/lots/C-07/edit', '/lots/C-07', { ...base, ...registry, perimeter_m, registry_partida: 'X' });
      expect(res.status, perimeter_m).toBe(400);
      expect(fieldError(res.text, 'perimeter_m')).toBe('Escriba el perímetro en metros, con punto decimal y hasta dos decimales (ej. 182.50), hasta 100 km.');
    }
    expect((await t.db('lots').where({ code: 'C-07' }).first()).registry_partida).toBe('11023456');
  });

  it('every field is optional: blank clears it; a new lot takes them too', async () => {
    const res = await submit(manager, '/lots/new', '/lots', { code: 'C-09', ...base, registry_partida: '11099999', perimeter_m: '80' });
    expect(res.status).toBe(303);
    expect(await t.db('lots').where({ code: 'C-09' }).first('registry_partida', 'boundary_north', 'perimeter_cm'))
      .toEqual({ registry_partida: '11099999', boundary_north: null, perimeter_cm: 8_000 });
    expect((await submit(manager, '/lots/C-09/edit', '/lots/C-09', { ...base, registry_partida: '', perimeter_m: '' })).status).toBe(303);
    expect(await t.db('lots').where({ code: 'C-09' }).first('registry_partida', 'perimeter_cm')).toEqual({ registry_partida: null, perimeter_cm: null });
  });

  it('does not change GET /lots.csv', async () => {
    const csv = (await manager.get('/lots.csv')).text.trim().split('\n');
    expect(csv[0]).toBe('code,block,area_m2,owner,land_use,status,price_per_m2');
    expect(csv).toContain('C-07,C,1250.50,municipal,metalworking,available,120.00');
  });
});

describe('the printed contract', () => {
  it('says "por inscribir" while the lot has no registry data', async () => {
    const text = textOf((await manager.get(`/contracts/${sold.id}/print`)).text);
    expect(text).toContain('Partida electrónica del lote: por inscribir. Linderos y medidas perimétricas: por inscribir. Perímetro: por inscribir.');
  });

  it('cites the partida, the boundaries by side and the perimeter once entered (the lot is sold: still editable)', async () => {
    const lot = await t.db('lots').where({ code: sold.lot_code }).first();
    const res = await submit(manager, `/lots/${sold.lot_code}/edit`, `/lots/${sold.lot_code}`, {
      area_m2: '1000.00', land_use: lot.land_use, owner: 'municipal', price_per_m2: '100.00',
      registry_partida: '11054321', boundary_north: 'Con la Av. Costanera, en 25.00 m', boundary_south: 'Con el lote T-3, en 25.00 m',
      boundary_east: '', boundary_west: 'Con la calle 5, en 40.00 m', perimeter_m: '130.00',
    });
    expect(res.status).toBe(303);
    const text = textOf((await manager.get(`/contracts/${sold.id}/print`)).text);
    expect(text).toContain('El lote corre inscrito en la partida electrónica N.º 11054321 del Registro de Predios de la SUNARP. '
      + 'Linderos y medidas perimétricas: por el Norte: Con la Av. Costanera, en 25.00 m; por el Sur: Con el lote T-3, en 25.00 m; '
      + 'por el Este: por inscribir; por el Oeste: Con la calle 5, en 40.00 m. Perímetro: 130.00 m.');
    const page = textOf((await manager.get(`/contracts/${sold.id}`)).text);
    expect(page).toContain('Partida electrónica del lote: 11054321');
  });
});

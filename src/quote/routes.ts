// The public plan simulator: what a sale would cost, from a price or a lot's list price, with the
// park's terms (or others entered). No login. The page and its CSV take the same parameters.
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { get, sendCsv, translateErrors, type RouteDef } from '../web/routing.ts';
import { FormError, parseInput, type FieldErrors } from '../web/errors.ts';
import { integer, optionalIsoDate, optionalSoles, optionalText, percent } from '../web/fields.ts';
import { t, translate } from '../web/i18n.ts';
import { formatPercent } from '../domain/percent.ts';
import { toSolesString } from '../domain/money.ts';
import { buildSchedule, listPrice, type Schedule } from '../domain/schedule.ts';
import type { IsoDate } from '../domain/dates.ts';
import { getSettings, type ParkSettings } from '../settings/service.ts';
import { scheduleCsv, scheduleTotals } from '../contracts/csv.ts';
import { resolveLotCode } from '../lots/service.ts';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const quoteSchema = z.object({
  price: optionalSoles(),
  lot: optionalText(16),
  date: optionalIsoDate(),
  rate: z.preprocess(blankToUndefined, percent().optional()),
  months: z.preprocess(blankToUndefined, integer(1, 600).optional()),
  down: z.preprocess(blankToUndefined, percent().optional()),
});

export interface Quote {
  price_cents: number;
  date: IsoDate;
  terms: Pick<ParkSettings, 'down_payment_ppm' | 'installment_count' | 'annual_rate_ppm'>;
  lot: { code: string; area_dm2: number; price_per_m2_cents: number; owner: string; status: string } | null;
  schedule: Schedule;
}

/** Parses the query and builds the plan; a FormError names each bad parameter. */
async function quoteFor(req: Request): Promise<Quote> {
  const q = parseInput(quoteSchema, req.query);
  const errors: FieldErrors = {};
  let lot: Quote['lot'] = null;
  let price = q.price;
  if (q.lot) {
    // Codes as people type them: "a03", "A-3", "a-03" are A-03.
    const row = await req.ctx.db('lots').where({ code: await resolveLotCode(req.ctx.db, q.lot) }).first();
    if (!row) errors.lot = 'quote.lot_unknown';
    else if (row.status !== 'available') {
      // A lot already sold (or awaiting its down payment, or paid off) is not for sale: no plan for it.
      errors.lot = { key: 'quote.lot_not_for_sale', params: { code: row.code, status: t(req.lang, `status.${row.status}`) } };
    } else {
      lot = { code: row.code, area_dm2: Number(row.area_dm2), price_per_m2_cents: Number(row.price_per_m2_cents), owner: row.owner, status: row.status };
      price = price ?? listPrice(lot.area_dm2, lot.price_per_m2_cents);
    }
  } else if (price === null) {
    errors.price = 'quote.price_or_lot';
  }
  if (price !== null && price <= 0) errors.price = 'errors.amount_positive';
  if (q.down !== undefined && q.down >= 1_000_000) errors.down = 'quote.down_range';
  if (q.rate !== undefined && q.rate > 1_000_000) errors.rate = 'quote.rate_range';
  if (Object.keys(errors).length) throw new FormError(400, errors);

  const settings = await getSettings(req.ctx.db);
  const terms = {
    down_payment_ppm: q.down ?? settings.down_payment_ppm,
    installment_count: q.months ?? settings.installment_count,
    annual_rate_ppm: q.rate ?? settings.annual_rate_ppm,
  };
  const date = q.date ?? req.ctx.clock.today();
  const schedule = buildSchedule({ price_cents: price!, date, ...terms });
  return { price_cents: price!, date, terms, lot, schedule };
}

const page: RequestHandler = async (req, res) => {
  const settings = await getSettings(req.ctx.db);
  const defaults = {
    down: formatPercent(settings.down_payment_ppm), months: String(settings.installment_count),
    rate: formatPercent(settings.annual_rate_ppm),
  };
  const values = { date: req.ctx.clock.today(), ...(req.query as Record<string, string>) };
  const locals = { title: t(req.lang, 'quote.title'), defaults, values };
  const asked = ['price', 'lot'].some((k) => typeof req.query[k] === 'string');
  if (!asked) return res.render('quote/form', locals);
  try {
    const quote = await quoteFor(req);
    const csvQuery = new URLSearchParams({ price: toSolesString(quote.price_cents), date: quote.date });
    for (const k of ['rate', 'months', 'down'] as const) {
      const v = req.query[k];
      if (typeof v === 'string' && v.trim()) csvQuery.set(k, v.trim());
    }
    res.render('quote/form', {
      ...locals, quote, rows: quote.schedule.rows, totals: scheduleTotals(quote.schedule.rows),
      installment_cents: quote.schedule.rows[1]?.installment_cents ?? 0, csvUrl: `/quote.csv?${csvQuery}`,
    });
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    res.status(err.status).render('quote/form', { ...locals, errors: translateErrors(req.lang, err.fields), hasErrors: true });
  }
};

/** The schedule as CSV; a bad parameter answers 400 in plain text that names it. */
const csv: RequestHandler = async (req, res) => {
  try {
    if (typeof req.query.price !== 'string' && typeof req.query.lot !== 'string') {
      throw new FormError(400, { price: 'errors.required' });
    }
    const quote = await quoteFor(req);
    sendCsv(res, `cronograma-simulado-${quote.date}.csv`, scheduleCsv(quote.schedule.rows));
  } catch (err) {
    if (!(err instanceof FormError)) throw err;
    const lines = Object.entries(err.fields).map(([field, m]) => `${field}: ${translate(req.lang, m)}`);
    res.status(err.status).type('text/plain; charset=utf-8').send(`${lines.join('\n')}\n`);
  }
};

export const routes: RouteDef[] = [
  get('/quote', 'public', page),
  get('/quote.csv', 'public', csv),
];

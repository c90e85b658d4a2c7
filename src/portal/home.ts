// The buyer's home: its firm, its ACIPIAS membership and its contracts with what is owed.
import type { RequestHandler } from 'express';

export const portalHome: RequestHandler = async (req, res) => {
  const ruc = req.user!.firm_ruc!;
  const db = req.ctx.db;
  const firm = await db('firms').where({ ruc }).first();
  const membership = await db('memberships').where({ firm_ruc: ruc }).first();
  const contracts = await db('contracts as c').join('lots as l', 'l.id', 'c.lot_id')
    .where('c.firm_ruc', ruc).orderBy('c.date', 'desc')
    .select('c.id', 'c.number', 'c.date', 'c.status', 'c.price_cents', 'l.code as lot_code', 'l.area_dm2');
  res.render('portal/home', { firm, membership, contracts });
};

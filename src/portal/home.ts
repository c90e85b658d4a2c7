// The buyer's pages: its home (firm, ACIPIAS membership, each contract with what is owed today)
// and its receipts. Both read through overview.ts, scoped to the buyer's own firm.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../web/errors.ts';
import { t } from '../web/i18n.ts';
import { portalOverview, portalReceipts } from './overview.ts';
import { getHowToPay } from '../settings/collections.ts';
import { lettersOfFirm } from '../collections/service.ts';
import { documentsSection } from '../attachments/panel.ts';

export const portalHome: RequestHandler = async (req, res) => {
  const page = await portalOverview(req.ctx.db, req.user!, req.ctx.clock.today());
  const howToPay = await getHowToPay(req.ctx.db);
  const letters = req.user!.firm_ruc ? await lettersOfFirm(req.ctx.db, req.user!.firm_ruc) : [];
  // The firm's own documents (licence, powers…), when staff attached any: src/attachments/.
  const documents = req.user!.firm_ruc ? await documentsSection(req, 'firm', req.user!.firm_ruc) : null;
  res.render('portal/home', { title: t(req.lang, 'portal.my_contracts'), ...page, howToPay, letters, attachments: documents?.items.length ? documents : null });
};

const receiptsQuery = z.object({ contract: z.string().trim().max(12).optional() });

export const portalReceiptsPage: RequestHandler = async (req, res) => {
  const { contract } = parseInput(receiptsQuery, req.query);
  const page = await portalReceipts(req.ctx.db, req.user!, contract || undefined);
  res.render('portal/receipts', { title: t(req.lang, 'portal.receipts_title'), ...page });
};

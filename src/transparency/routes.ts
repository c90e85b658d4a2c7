// The public reinvestment report: no login, Spanish, printable, and the same figures as CSV.
import type { RequestHandler } from 'express';
import { get, sendCsv, type RouteDef } from '../web/routing.ts';
import { toCsv } from '../web/csv.ts';
import { t } from '../web/i18n.ts';
import { TRANSPARENCY_CSV_COLUMNS, transparencyReport, transparencyRows } from './report.ts';

const TITLE = 'Reinversión de la venta de lotes del Parque Industrial — Informe público';

const showReport: RequestHandler = async (req, res) => {
  const report = await transparencyReport(req.ctx.db, req.ctx.clock.today());
  // The report is in Spanish whatever the visitor's language (only the site's menu follows it).
  const projects = report.projects.map((p) => ({ ...p, status_es: t('es', `fund.status.${p.status}`) }));
  res.render('transparency/report', { title: TITLE, report: { ...report, projects } });
};

const reportCsv: RequestHandler = async (req, res) => {
  const today = req.ctx.clock.today();
  const report = await transparencyReport(req.ctx.db, today);
  sendCsv(res, `reinversion-parque-industrial-${today}.csv`, toCsv(TRANSPARENCY_CSV_COLUMNS, transparencyRows(report)));
};

export const routes: RouteDef[] = [
  get('/transparencia', 'public', showReport),
  get('/transparencia.csv', 'public', reportCsv),
];

// Turns audit_log rows into what a person reads: who, when, which action, and each changed
// field as "before → after", with money, areas, dates and codes formatted for the screen.
// Any area can show a record's history: rows from history() → historyView() → {{> history}}.
import { formatSoles } from '../domain/money.ts';
import { formatM2 } from '../domain/area.ts';
import { formatPercent } from '../domain/percent.ts';
import { formatDate, isIsoDate } from '../domain/dates.ts';
import { hasKey, t, type Lang } from '../web/i18n.ts';

export interface AuditRow {
  id: number;
  at: string;
  user_id: number | null;
  username: string | null;
  action: string;
  entity: string | null;
  entity_id: string | null;
  details: string | null;
  ip: string | null;
}

export interface Change {
  label: string;
  before: string;
  after: string;
  changed: boolean; // false: a value recorded with the action, not a before/after pair
}

export interface HistoryEntry {
  id: number;
  at: string;
  username: string;
  action: string;
  action_label: string;
  entity_label: string;
  entity_id: string;
  href: string | null;
  changes: Change[];
  ip: string;
}

// Record pages the log can link to, by entity.
const PAGES: Record<string, string> = {
  lot: '/lots/', contract: '/contracts/', receipt: '/receipts/', firm: '/firms/',
  project: '/finance/projects/', spending: '/finance/spending/', cash_deposit: '/finance/cash-deposits/',
  month: '/finance/closings?month=',
  import: '/contracts/imports/',
};

// Fields whose values are codes with translated labels; `status` means something else on each record.
const CODED: Record<string, string> = {
  owner: 'owner.', land_use: 'land_use.', role: 'role.', sector: 'firms.sector.', method: 'payments.method.',
};
const STATUS_OF: Record<string, string> = {
  lot: 'status.', firm: 'membership.', contract: 'contract_status.', project: 'fund.status.', receipt: 'receipts.status.',
};

/** The user who did it: "system" (the demo seed, an import, the command line) in words. */
export const userLabel = (lang: Lang, username: string | null | undefined) =>
  (!username || username === 'system' ? t(lang, 'audit.system_user') : username);

/** Names the log can show instead of internal ids (a contract's number instead of its id). */
export interface HistoryNames {
  contracts?: Map<string, string>;
}

const label = (lang: Lang, key: string, fallback: string) => (hasKey(key) ? t(lang, key) : fallback);

/** An action's words ("Lote creado"), or its code when no area has given it words. */
export const actionLabel = (lang: Lang, action: string) => label(lang, `audit.action.${action}`, action);
export const entityLabel = (lang: Lang, entity: string) => label(lang, `audit.entity.${entity}`, entity);

/** A payment's parts (row n: late fee, interest, principal) as a person reads them. */
function formatParts(lang: Lang, parts: unknown[]): string | null {
  const ok = parts.every((p) => p && typeof p === 'object' && typeof (p as { n?: unknown }).n === 'number');
  if (!ok) return null;
  return parts.map((raw) => {
    const p = raw as Record<string, number>;
    const row = p.n === 0 ? t(lang, 'audit.parts.down_payment') : t(lang, 'audit.parts.installment', { n: Number(p.n) });
    const bits = (['late_fee_cents', 'interest_cents', 'principal_cents'] as const)
      .filter((k) => Number(p[k] ?? 0) > 0)
      .map((k) => `${t(lang, `audit.parts.${k}`)} ${formatSoles(Number(p[k]))}`);
    return `${row}: ${bits.join(', ') || formatSoles(0)}`;
  }).join('; ');
}

function formatValue(lang: Lang, field: string, value: unknown, entity = ''): string {
  if (value === null || value === undefined || value === '') return '';
  if (field === 'status' && typeof value === 'string' && STATUS_OF[entity]) return label(lang, `${STATUS_OF[entity]}${value}`, value);
  if (Array.isArray(value)) {
    const parts = field === 'parts' ? formatParts(lang, value) : null;
    return parts ?? value.map((v) => formatValue(lang, '', v)).join(', ');
  }
  if (typeof value === 'object') {
    // Terms and other small records: each of their fields in words.
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${fieldLabel(lang, k)}: ${formatValue(lang, k, v, entity)}`).join(' · ');
  }
  if (typeof value === 'number') {
    if (field.endsWith('_cents')) return formatSoles(value);
    if (field.endsWith('_dm2')) return formatM2(value);
    if (field.endsWith('_ppm')) return `${formatPercent(value)}%`;
    return String(value);
  }
  if (typeof value === 'boolean') return t(lang, value ? 'common.yes' : 'common.no');
  if (typeof value === 'string') {
    const prefix = CODED[field];
    if (prefix) return label(lang, `${prefix}${value}`, value);
    return isIsoDate(value) ? formatDate(value) : value;
  }
  return JSON.stringify(value);
}

/** A field's words; unknown ones lose their unit suffix rather than showing "amount cents". */
function fieldLabel(lang: Lang, field: string): string {
  return label(lang, `audit.field.${field}`, field.replace(/_(cents|dm2|ppm|id)$/, '').replace(/_/g, ' '));
}

function changesOf(lang: Lang, details: string | null, entity = ''): Change[] {
  if (!details) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(details);
  } catch {
    return [{ label: '', before: '', after: details, changed: false }];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return [{ label: '', before: '', after: formatValue(lang, '', parsed), changed: false }];
  }
  const changes = Object.entries(parsed as Record<string, unknown>).map(([field, v]) => {
    const name = fieldLabel(lang, field);
    // diff() writes [before, after]; anything else is a value recorded with the action.
    if (Array.isArray(v) && v.length === 2 && field !== 'parts') {
      return { label: name, before: formatValue(lang, field, v[0], entity), after: formatValue(lang, field, v[1], entity), changed: true };
    }
    return { label: name, before: '', after: formatValue(lang, field, v, entity), changed: false };
  });
  // An empty value recorded with an action (a buyer's RUC on a staff user) says nothing.
  return changes.filter((c) => c.after !== '' || c.before !== '');
}

export function historyView(rows: readonly AuditRow[], lang: Lang, names: HistoryNames = {}): HistoryEntry[] {
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    username: userLabel(lang, r.username),
    action: r.action,
    action_label: actionLabel(lang, r.action),
    entity_label: r.entity ? entityLabel(lang, r.entity) : '',
    entity_id: (r.entity === 'contract' && r.entity_id ? names.contracts?.get(r.entity_id) : undefined) ?? r.entity_id ?? '',
    href: r.entity && r.entity_id && PAGES[r.entity] ? `${PAGES[r.entity]}${encodeURIComponent(r.entity_id)}` : null,
    changes: changesOf(lang, r.details, r.entity ?? ''),
    ip: r.ip ?? '',
  }));
}

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
};

// Fields whose values are codes with translated labels.
const CODED: Record<string, string> = { owner: 'owner.', status: 'status.', land_use: 'land_use.', role: 'role.' };

const label = (lang: Lang, key: string, fallback: string) => (hasKey(key) ? t(lang, key) : fallback);

/** An action's words ("Lote creado"), or its code when no area has given it words. */
export const actionLabel = (lang: Lang, action: string) => label(lang, `audit.action.${action}`, action);
export const entityLabel = (lang: Lang, entity: string) => label(lang, `audit.entity.${entity}`, entity);

function formatValue(lang: Lang, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
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

function changesOf(lang: Lang, details: string | null): Change[] {
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
    const fieldLabel = label(lang, `audit.field.${field}`, field.replace(/_/g, ' '));
    // diff() writes [before, after]; anything else is a value recorded with the action.
    if (Array.isArray(v) && v.length === 2) {
      return { label: fieldLabel, before: formatValue(lang, field, v[0]), after: formatValue(lang, field, v[1]), changed: true };
    }
    return { label: fieldLabel, before: '', after: formatValue(lang, field, v), changed: false };
  });
  // An empty value recorded with an action (a buyer's RUC on a staff user) says nothing.
  return changes.filter((c) => c.after !== '' || c.before !== '');
}

export function historyView(rows: readonly AuditRow[], lang: Lang): HistoryEntry[] {
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    username: r.username ?? '',
    action: r.action,
    action_label: actionLabel(lang, r.action),
    entity_label: r.entity ? entityLabel(lang, r.entity) : '',
    entity_id: r.entity_id ?? '',
    href: r.entity && r.entity_id && PAGES[r.entity] ? `${PAGES[r.entity]}${encodeURIComponent(r.entity_id)}` : null,
    changes: changesOf(lang, r.details),
    ip: r.ip ?? '',
  }));
}

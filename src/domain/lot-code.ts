// What a lot is made of in the rules: its code (block + number, e.g. C-07), its owner, its
// status and its land use. Pure; the lots area, the sales and the map all read these lists.

/** Block of one to three capital letters, a dash, the lot's number (1–999): C-07, AB-112. */
export const LOT_CODE_RE = /^([A-Z]{1,3})-(\d{1,3})$/;

export interface LotCode {
  code: string;
  block: string;
  number: number;
}

/**
 * "c-07 " → { code: 'C-07', block: 'C', number: 7 }. Null when it is not a lot code or its
 * number is 0. The code keeps its zeros as written; block + number identify the lot, so
 * C-7 and C-07 are the same lot (see sameLot).
 */
export function parseLotCode(text: string): LotCode | null {
  const code = text.trim().toUpperCase();
  const m = LOT_CODE_RE.exec(code);
  if (!m) return null;
  const number = Number(m[2]);
  if (number < 1) return null;
  return { code, block: m[1] as string, number };
}

/** The key that identifies a lot in the park, whatever zeros its code was written with. */
export function lotKey(block: string, number: number): string {
  return `${block}-${number}`;
}

export const OWNERS = ['municipal', 'ministry'] as const;
export type Owner = (typeof OWNERS)[number];

/** A lot's status follows its contract; only the contracts area changes it. */
export const LOT_STATUSES = ['available', 'awaiting_down_payment', 'under_contract', 'paid_off'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

/** Statuses in which the lot is committed to a buyer (the area balance calls them "sold"). */
export const COMMITTED_STATUSES: readonly LotStatus[] = ['awaiting_down_payment', 'under_contract', 'paid_off'];

/** Land uses: ascii codes in the database and CSV; screens translate them (land_use.<code>). */
export const LAND_USES = [
  'light_industry', // industria liviana
  'metalworking', // metalmecánica
  'carpentry', // carpintería
  'commerce', // comercio
  'services', // servicios
  'agroindustry', // agroindustria
  'fishing', // pesquera
  'warehousing', // almacenes
] as const;
export type LandUse = (typeof LAND_USES)[number];

export const isOwner = (v: string): v is Owner => (OWNERS as readonly string[]).includes(v);
export const isLandUse = (v: string): v is LandUse => (LAND_USES as readonly string[]).includes(v);

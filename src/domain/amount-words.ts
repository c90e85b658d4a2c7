// The amount in words on a receipt, as Peruvian receipts write it:
// 141667 → "MIL CUATROCIENTOS DIECISÉIS CON 67/100 SOLES".
import { cents } from './money.ts';

const UNITS = ['CERO', 'UNO', 'DOS', 'TRES', 'CUATRO', 'CINCO', 'SEIS', 'SIETE', 'OCHO', 'NUEVE',
  'DIEZ', 'ONCE', 'DOCE', 'TRECE', 'CATORCE', 'QUINCE', 'DIECISÉIS', 'DIECISIETE', 'DIECIOCHO', 'DIECINUEVE',
  'VEINTE', 'VEINTIUNO', 'VEINTIDÓS', 'VEINTITRÉS', 'VEINTICUATRO', 'VEINTICINCO', 'VEINTISÉIS',
  'VEINTISIETE', 'VEINTIOCHO', 'VEINTINUEVE'];
const TENS = ['', '', '', 'TREINTA', 'CUARENTA', 'CINCUENTA', 'SESENTA', 'SETENTA', 'OCHENTA', 'NOVENTA'];
const HUNDREDS = ['', 'CIENTO', 'DOSCIENTOS', 'TRESCIENTOS', 'CUATROCIENTOS', 'QUINIENTOS', 'SEISCIENTOS',
  'SETECIENTOS', 'OCHOCIENTOS', 'NOVECIENTOS'];

// `apocope`: the number stands before MIL / MILLÓN / BILLÓN, where UNO shortens to UN
// (VEINTIÚN MIL, TREINTA Y UN MIL, DOSCIENTOS UN MIL, UN MILLÓN).
function below100(n: number, apocope: boolean): string {
  if (n < 30) {
    if (apocope && n === 1) return 'UN';
    if (apocope && n === 21) return 'VEINTIÚN';
    return UNITS[n]!;
  }
  const u = n % 10;
  const tens = TENS[Math.floor(n / 10)]!;
  if (u === 0) return tens;
  return `${tens} Y ${apocope && u === 1 ? 'UN' : UNITS[u]}`;
}

function below1000(n: number, apocope: boolean): string {
  if (n === 100) return 'CIEN';
  const h = Math.floor(n / 100);
  const r = n % 100;
  return [h ? HUNDREDS[h] : '', r ? below100(r, apocope) : ''].filter(Boolean).join(' ');
}

function belowMillion(n: number, apocope: boolean): string {
  const k = Math.floor(n / 1000);
  const r = n % 1000;
  const thousands = k === 0 ? '' : k === 1 ? 'MIL' : `${below1000(k, true)} MIL`;
  return [thousands, r ? below1000(r, apocope) : ''].filter(Boolean).join(' ');
}

/** Whole soles in words (long scale: MIL MILLONES = 10⁹, BILLÓN = 10¹²). */
export function integerInWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a whole number ≥ 0: ${n}`);
  if (n === 0) return UNITS[0]!;
  const billions = Math.floor(n / 1e12);
  const millions = Math.floor(n / 1e6) % 1e6;
  const rest = n % 1e6;
  const parts: string[] = [];
  if (billions) parts.push(billions === 1 ? 'UN BILLÓN' : `${belowMillion(billions, true)} BILLONES`);
  if (millions) parts.push(millions === 1 ? 'UN MILLÓN' : `${belowMillion(millions, true)} MILLONES`);
  if (rest) parts.push(belowMillion(rest, false));
  return parts.join(' ');
}

export function amountInWords(amount_cents: number): string {
  const c = cents(amount_cents);
  if (c < 0) throw new RangeError(`amount must be ≥ 0: ${amount_cents}`);
  const soles = Math.floor(c / 100);
  const centimos = String(c % 100).padStart(2, '0');
  return `${integerInWords(soles)} CON ${centimos}/100 SOLES`;
}

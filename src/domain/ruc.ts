// Peruvian identifiers: the RUC of a firm (SUNAT) and the DNI of a person (RENIEC). Pure checks
// that say WHICH rule failed, so the form can tell the user what to fix.

export type RucProblem = 'length' | 'digits' | 'prefix' | 'check_digit';

/** Prefixes SUNAT gives: 10 natural person with a business, 20 company, 15/16/17 other taxpayers. */
export const RUC_PREFIXES = ['10', '15', '16', '17', '20'] as const;
const RUC_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** The check digit of a RUC from its first ten digits: (11 − Σ wᵢdᵢ mod 11) mod 10. */
export function rucCheckDigit(first10: string): number {
  if (!/^\d{10}$/.test(first10)) throw new TypeError(`not ten digits: ${first10}`);
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += RUC_WEIGHTS[i]! * Number(first10[i]);
  return (11 - (sum % 11)) % 10;
}

/** Null when the RUC is valid; otherwise the first rule it breaks (length, digits, prefix, check digit). */
export function rucProblem(ruc: string): RucProblem | null {
  const text = ruc.trim();
  if (text.length !== 11) return 'length';
  if (!/^\d{11}$/.test(text)) return 'digits';
  if (!(RUC_PREFIXES as readonly string[]).includes(text.slice(0, 2))) return 'prefix';
  if (rucCheckDigit(text.slice(0, 10)) !== Number(text[10])) return 'check_digit';
  return null;
}

export const isValidRuc = (ruc: string): boolean => rucProblem(ruc) === null;

export type DniProblem = 'length' | 'digits' | 'check_character';

const DNI_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];
// RENIEC prints the check character either as a digit or as a letter; both come from Σ mod 11.
const DNI_DIGITS = '65432110987';
const DNI_LETTERS = 'KJIHGFEDCBA';

/** The DNI as stored: no spaces or hyphen, letter in upper case ("12345678-k" → "12345678K"). */
export function compactDni(dni: string): string {
  return dni.replace(/[\s-]/g, '').toUpperCase();
}

/** A stored DNI as RENIEC prints it: "101174102" → "10117410-2"; eight digits stay as they are. */
export function formatDni(dni: string): string {
  return dni.length === 9 ? `${dni.slice(0, 8)}-${dni[8]}` : dni;
}

/** The two accepted check characters (digit and letter) of an 8-digit DNI. */
export function dniCheckCharacters(dni8: string): { digit: string; letter: string } {
  if (!/^\d{8}$/.test(dni8)) throw new TypeError(`not eight digits: ${dni8}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += DNI_WEIGHTS[i]! * Number(dni8[i]);
  const c = sum % 11;
  return { digit: DNI_DIGITS[c]!, letter: DNI_LETTERS[c]! };
}

/** Null when valid: 8 digits, optionally followed by its check character (digit or letter). */
export function dniProblem(dni: string): DniProblem | null {
  const text = compactDni(dni);
  if (text.length !== 8 && text.length !== 9) return 'length';
  if (!/^\d{8}$/.test(text.slice(0, 8))) return 'digits';
  if (text.length === 9) {
    const { digit, letter } = dniCheckCharacters(text.slice(0, 8));
    if (text[8] !== digit && text[8] !== letter) return 'check_character';
  }
  return null;
}

export const isValidDni = (dni: string): boolean => dniProblem(dni) === null;

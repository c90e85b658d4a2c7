import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/auth/passwords.ts';

describe('password rules', () => {
  it('refuses short, common, guessable passwords and ones containing the username', () => {
    expect(passwordProblem('corto-1')).toBe('auth.password_too_short');
    for (const common of ['password123', 'contraseña123', '1234567890', 'qwertyuiop', 'iloveyou12', 'aaaaaaaaaaaa', 'Municipalidad1']) {
      expect(passwordProblem(common), common).toBe('auth.password_common');
    }
    expect(passwordProblem('gerente-del-parque-77', 'gerente')).toBe('auth.password_has_username');
  });

  it('accepts a long, unpredictable phrase', () => {
    expect(passwordProblem('correct-horse-battery')).toBeNull();
    expect(passwordProblem('Tesoro-de-Ilo-2026')).toBeNull();
    expect(passwordProblem('pulpo verde baila en Pacocha')).toBeNull();
  });

  it('hashes with scrypt and a salt, and verifies', async () => {
    const a = await hashPassword('pulpo verde baila en Pacocha');
    const b = await hashPassword('pulpo verde baila en Pacocha');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('pulpo verde baila en Pacocha', a)).toBe(true);
    expect(await verifyPassword('pulpo verde baila en pacocha', a)).toBe(false);
    expect(await verifyPassword('x', null)).toBe(false);
  });
});

// vitest globalSetup: the banner of suites left out for want of a program, at the start and again at
// the end of the run, whatever reporter is used; with REQUIRE_ALL_SUITES=1 the run fails instead.
import { REQUIRE_ALL_SUITES, SYSTEM_SUITES, skippedBanner } from './system-programs.ts';

export function setup(): void {
  if (REQUIRE_ALL_SUITES) {
    const missing = SYSTEM_SUITES.filter((s) => !s.found);
    if (missing.length > 0) {
      throw new Error(`REQUIRE_ALL_SUITES=1 and ${missing.map((s) => `${s.program} is missing (${s.enable})`).join('; ')}: these suites would be skipped.`);
    }
  }
  const text = skippedBanner();
  if (text) console.warn(`\n${text}\n`);
}

export function teardown(): void {
  const text = skippedBanner();
  if (text) console.warn(`\n${text}\n`);
}

// BENCH_ONLY: which parts of `npm run bench` run, as a comma-separated list — pglite and postgres
// (bench/run.ts, one per storage), records (bench/records.ts), sso (bench/sso.ts), sms
// (bench/sms-sign-in.ts), help (bench/help.ts). Unset: every part. Each part's script asks here
// first and ends at once when it was not chosen, so `npm run bench` stays the one command.
export const BENCH_PARTS = ['pglite', 'postgres', 'records', 'sso', 'sms', 'help'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

function chosen(): Set<string> | undefined {
  const value = process.env.BENCH_ONLY?.trim();
  if (!value) return undefined;
  const parts = new Set(
    value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  );
  const unknown = [...parts].filter((p) => !(BENCH_PARTS as readonly string[]).includes(p));
  if (unknown.length) {
    console.error(`BENCH_ONLY=${value}: no part called ${unknown.join(', ')}; the parts are ${BENCH_PARTS.join(', ')}`);
    process.exit(2);
  }
  return parts;
}

export function isSelected(part: BenchPart): boolean {
  return chosen()?.has(part) ?? true;
}

/** Ends this script (successfully) when BENCH_ONLY leaves every one of `parts` out. */
export function skipUnlessSelected(...parts: BenchPart[]): void {
  if (parts.some(isSelected)) return;
  console.log(`(${parts.join(' and ')} skipped: BENCH_ONLY=${process.env.BENCH_ONLY})`);
  process.exit(0);
}

// The ceiling every password-bound figure is compared with: raw argon2id hashes per second at
// the configured cost, with as many hashes in flight as the machine has cores (the service's own
// limit). No HTTP, no database: nothing the service does per sign-in can go faster than this.
import { hash } from '@node-rs/argon2';

/** @node-rs/argon2's const enum Algorithm.Argon2id (type stripping cannot inline const enums). */
const ARGON2ID = 2;

export interface Argon2Ceiling {
  hashesPerSecond: number;
  hashes: number;
  seconds: number;
  concurrency: number;
  meanMs: number;
  /** CPU time (all threads of this process) per hash: what a hash costs regardless of others. */
  cpuMsPerHash: number;
  /** cores × 1000 / cpuMsPerHash: the ceiling on this machine with nothing else running. */
  idealHashesPerSecond: number;
  params: { memoryKiB: number; iterations: number; parallelism: number };
}

export async function measureArgon2(options: {
  memoryKiB: number;
  iterations: number;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
}): Promise<Argon2Ceiling> {
  const params = { algorithm: ARGON2ID, memoryCost: options.memoryKiB, timeCost: options.iterations, parallelism: 1 };
  let hashes = 0;
  let busyMs = 0;
  let counting = false;
  let stopAt = 0;
  const worker = async (n: number) => {
    while (performance.now() < stopAt) {
      const t0 = performance.now();
      await hash(`bench-password-${n}-${hashes}`, params);
      if (counting) {
        hashes++;
        busyMs += performance.now() - t0;
      }
    }
  };
  const lanes = (count: number) => Promise.all(Array.from({ length: count }, (_, i) => worker(i)));

  stopAt = performance.now() + options.warmupSeconds * 1000;
  await lanes(options.concurrency);

  counting = true;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  stopAt = started + options.seconds * 1000;
  await lanes(options.concurrency);
  // Hashes still running at the deadline finish and count; the time includes them.
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerHash = (cpu.user + cpu.system) / 1000 / hashes;
  return {
    hashesPerSecond: hashes / seconds,
    hashes,
    seconds,
    concurrency: options.concurrency,
    meanMs: busyMs / hashes,
    cpuMsPerHash,
    idealHashesPerSecond: (options.concurrency * 1000) / cpuMsPerHash,
    params: { memoryKiB: options.memoryKiB, iterations: options.iterations, parallelism: 1 },
  };
}

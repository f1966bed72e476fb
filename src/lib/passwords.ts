// argon2id password hashing (OWASP: m=19456 KiB, t=2, p=1) behind a concurrency limit.
import { hash, verify } from '@node-rs/argon2';
import { availableParallelism } from 'node:os';
import { ConcurrencyLimit } from './limit-concurrency.ts';

/** @node-rs/argon2's const enum Algorithm.Argon2id, which type stripping cannot inline. */
const ARGON2ID = 2;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
  /** Spends the same time as a real verify, for users that do not exist. */
  verifyDummy(password: string): Promise<void>;
  /** Hashes running and waiting for their turn now (the metrics' argon2 queue); absent for hashers without a queue. */
  load?(): { active: number; waiting: number };
}

export function createPasswordHasher(options: { memoryKiB: number; iterations: number; concurrency?: number | undefined }): PasswordHasher {
  const params = { algorithm: ARGON2ID, memoryCost: options.memoryKiB, timeCost: options.iterations, parallelism: 1 };
  const limit = new ConcurrencyLimit(options.concurrency ?? availableParallelism());
  // A real hash with the current parameters, so a dummy verify costs exactly what a real one does.
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => limit.run(() => hash(password, params)),
    verify: (hashed, password) => limit.run(() => verify(hashed, password).catch(() => false)),
    async verifyDummy(password) {
      dummy ??= hash('tongxing-dummy-password', params);
      const hashed = await dummy;
      await limit.run(() => verify(hashed, password).catch(() => false));
    },
    load: () => ({ active: limit.active, waiting: limit.waiting }),
  };
}

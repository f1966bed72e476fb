// Builds the copies people asked for (下载个人信息). An export's states:
//
//   requested ──claim──▶ (building, under a lease) ──built──▶ ready ──24 h──▶ expired (file dropped)
//       ▲                        │                                                 │
//       └──a failed build (retry later, at most MAX_ATTEMPTS)──▶ failed             └──30 days──▶ deleted
//
// Once, with any number of nodes: a claim takes due rows with SKIP LOCKED and writes a fencing
// token and a lease (LOCK_MS, far longer than a build takes) on each; no other claim takes a row
// while its lease runs, so two nodes never build the same copy. Only the token's holder marks a
// row ready, and the link goes out in that same transaction: the person gets it once. A node
// that dies mid-build leaves a lease that runs out; the next claim builds the copy again.
// Stopping gives back the claimed rows not yet begun.
import { randomUUID } from 'node:crypto';
import { coalescedPass, pollLoop, type PollLoop } from '../lib/background-pass.ts';
import { randomToken } from '../lib/crypto.ts';
import { sealBytes } from '../lib/field-crypto.ts';
import { MINUTE } from '../lib/clock.ts';
import { recordAudit } from '../audit/audit.ts';
import { findById } from '../accounts/queries.ts';
import { provedContacts } from '../accounts/account-view.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { dataExportReady } from '../notifications/templates/links.ts';
import { collectSections } from './sections.ts';
import { buildArchive } from './archive.tsx';
import { EXPORT_TTL_MS, fileAad, tokenHashOf } from './service.ts';
import * as q from './queries.ts';

export const MAX_ATTEMPTS = 3;
const LOCK_MS = 10 * MINUTE;
const RETRY_MS = 5 * MINUTE;
const BATCH = 5;

export interface ExportWorkerLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ExportWorker {
  /** Builds every copy due now; resolves with how many became ready. */
  runOnce(): Promise<number>;
  /** A copy was asked for: build it now rather than at the next poll. */
  nudge(): void;
  start(): void;
  stop(): Promise<void>;
}

export interface ExportWorkerDeps {
  accounts: AccountDeps;
  pollMs: number;
  log: ExportWorkerLog;
  lockMs?: number;
}

/** Builds one claimed copy and, if the claim still holds it, makes it ready and sends the link. */
async function buildOne(deps: AccountDeps, row: { id: string; account_id: string; with_full_id: boolean; lang: string }, token: string): Promise<boolean> {
  const sections = await collectSections(deps.identity, { id: row.id, accountId: row.account_id, withFullId: row.with_full_id, lang: row.lang });
  const at = deps.clock.now();
  const zip = buildArchive(sections, { lang: row.lang, at });
  const sealed = sealBytes(deps.identity.keys, zip, fileAad(row.id));
  const linkToken = randomToken(32);
  const expiresAt = new Date(at.getTime() + EXPORT_TTL_MS);
  const account = await findById(deps.db, row.account_id);
  const ready = await deps.db.transaction().execute(async (tx) => {
    const marked = await q.markReady(tx, row.id, token, {
      keyId: sealed.keyId,
      cipher: sealed.data,
      bytes: zip.length,
      tokenHash: tokenHashOf(linkToken),
      at,
      expiresAt,
    });
    if (!marked) return false;
    const link = `${deps.publicUrl}/account/export/${row.id}/download?token=${linkToken}`;
    const to = account ? provedContacts(account) : { phone: null, email: null };
    if (to.phone) await deps.outbox.enqueue(tx, dataExportReady('sms', to.phone, link, expiresAt));
    if (to.email) await deps.outbox.enqueue(tx, dataExportReady('email', to.email, link, expiresAt));
    await recordAudit(tx, { action: 'export.ready', actor: { kind: 'system' }, accountId: row.account_id, ip: null, detail: { export_id: row.id }, at });
    return true;
  });
  if (ready) deps.outbox.nudge();
  return ready;
}

export function createExportWorker(deps: ExportWorkerDeps): ExportWorker {
  const lockMs = deps.lockMs ?? LOCK_MS;
  const { accounts } = deps;
  const loop: PollLoop = pollLoop(
    () => passes.run(),
    deps.pollMs,
    async () => passes.running(),
  );
  const stopping = loop.isStopping;

  async function pass(): Promise<number> {
    let built = 0;
    while (!stopping()) {
      const token = randomUUID();
      const batch = await q.claimDueExports(accounts.db, { now: accounts.clock.now(), lockMs, limit: BATCH, token });
      if (batch.length === 0) return built;
      for (const row of batch) {
        if (stopping()) break;
        try {
          if (await buildOne(accounts, row, token)) built++;
        } catch (error) {
          const final = row.attempts >= MAX_ATTEMPTS;
          const reason = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
          deps.log.error({ err: error, exportId: row.id, attempts: row.attempts }, final ? 'data export failed for good' : 'data export failed; will retry');
          await q.markBuildFailed(accounts.db, row.id, token, { final, reason, retryAt: new Date(accounts.clock.now().getTime() + RETRY_MS) });
          if (final)
            await recordAudit(accounts.db, {
              action: 'export.failed',
              actor: { kind: 'system' },
              accountId: row.account_id,
              ip: null,
              detail: { export_id: row.id },
              at: accounts.clock.now(),
            });
        }
      }
      if (stopping()) await q.releaseExportClaim(accounts.db, token);
    }
    return built;
  }

  const passes = coalescedPass(pass, (error) => deps.log.error({ err: error }, 'data export pass failed'), stopping);

  return { runOnce: passes.run, nudge: loop.nudge, start: loop.start, stop: loop.stop };
}

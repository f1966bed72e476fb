// 下载个人信息 (PIPL art. 45): asking for a copy, listing one's copies, downloading one.
//
// Asking needs a fresh sign-in (the routes see to it) and is limited to 3 a day per account; the
// password typed again in the form puts the full ID number in the copy (else it is masked), so a
// session left open can ask for a copy but not for the whole number. The copy is built by the
// worker (worker.ts), which sends the link. Downloading needs the account signed in: by the link
// (its token, kept as a SHA-256 and compared in constant time) or by the page's button (a fresh
// session and the CSRF token), and within 24 hours of the copy being ready. Each step audited.
import { createHash } from 'node:crypto';
import { AppError, RateLimitedError } from '../lib/errors.ts';
import { constantTimeEqual } from '../lib/crypto.ts';
import { openBytes } from '../lib/field-crypto.ts';
import { HOUR } from '../lib/clock.ts';
import { describeDevice } from '../lib/user-agent.ts';
import { recordAudit } from '../audit/audit.ts';
import { verifyCurrentPassword } from '../accounts/fresh-sign-in.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { DataExportState } from '../db/schema.ts';
import * as q from './queries.ts';

/** How long a ready copy may be downloaded. */
export const EXPORT_TTL_MS = 24 * HOUR;

export const fileAad = (exportId: string) => `data-export:${exportId}`;
export const tokenHashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

export async function requestExport(
  deps: AccountDeps,
  accountId: string,
  input: { password?: string | undefined; lang: string },
  meta: RequestMeta,
): Promise<string> {
  const password = input.password ?? '';
  // A wrong password is refused before a request is spent (and counts against the password's own limit).
  if (password) await verifyCurrentPassword(deps, accountId, password, meta);
  try {
    await deps.limits.consume('dataExportsPerAccount', accountId);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const max = deps.limits.policy.dataExportsPerAccount.points;
    throw new AppError('export.limit', { status: 429, params: { max, hours: Math.max(1, Math.ceil(error.retryAfterSeconds / 3600)) } });
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const id = await q.insertExport(tx, { accountId, withFullId: password !== '', lang: input.lang, at: now });
    await recordAudit(tx, {
      action: 'export.requested',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { export_id: id, full_id_number: password !== '', device: describeDevice(meta.userAgent) },
      at: now,
    });
    return id;
  });
}

export interface ExportListItem {
  id: string;
  state: DataExportState;
  withFullId: boolean;
  requestedAt: Date;
  expiresAt: Date | null;
}

/** The person's copies, newest first; a ready one past its 24 hours is shown expired at once. */
export async function exportsOf(deps: Pick<AccountDeps, 'db' | 'clock'>, accountId: string): Promise<ExportListItem[]> {
  const now = deps.clock.now();
  return (await q.exportsOfAccount(deps.db, accountId)).map((row) => ({
    id: row.id,
    state: row.state === 'ready' && row.expires_at && row.expires_at <= now ? 'expired' : row.state,
    withFullId: row.with_full_id,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
  }));
}

const isId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);

/**
 * The ZIP of one of the account's copies. `token` is the link's (undefined for the page's
 * button, which the routes allow only to a fresh session posting the form).
 */
export async function downloadExport(
  deps: AccountDeps,
  accountId: string,
  exportId: string,
  token: string | undefined,
  meta: RequestMeta,
): Promise<{ zip: Buffer; filename: string }> {
  const row = isId(exportId) ? await q.exportOfAccount(deps.db, accountId, exportId) : undefined;
  // Another account's copy is not found, as one that does not exist: nothing tells them apart.
  if (!row || row.state === 'failed') throw new AppError('export.not_found', { status: 404 });
  if (row.state === 'requested') throw new AppError('export.not_ready', { status: 409 });
  const now = deps.clock.now();
  if (row.state === 'expired' || !row.expires_at || row.expires_at <= now || !row.file_cipher || !row.file_key_id || !row.token_hash)
    throw new AppError('export.expired', { status: 410 });
  if (token !== undefined && !constantTimeEqual(tokenHashOf(token), Buffer.from(row.token_hash))) throw new AppError('export.link_invalid', { status: 403 });
  const zip = openBytes(deps.identity.keys, { keyId: row.file_key_id, data: Buffer.from(row.file_cipher) }, fileAad(row.id));
  await recordAudit(deps.db, {
    action: 'export.downloaded',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: meta.ip,
    detail: { export_id: row.id, via: token === undefined ? 'page' : 'link', device: describeDevice(meta.userAgent) },
    at: now,
  });
  const day = new Date(now.getTime() + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '');
  return { zip, filename: `tongxing-data-${day}.zip` };
}

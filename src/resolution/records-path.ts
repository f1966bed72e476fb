// 途径4 提供学籍或学历信息: in school — school, student number, enrolment year, level; graduated —
// school, certificate number, graduation year, level. The record must also carry the person's
// own name and ID number. At most 3 tries per ID number, counted whatever the outcome, and shown
// on the page (已请求 N 次).
import { AppError, ValidationError } from '../lib/errors.ts';
import { constantTimeEqual } from '../lib/crypto.ts';
import type { RecordKind } from '../db/schema.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { findRecord } from '../records/queries.ts';
import { normalizeLevel, normalizeNumber, normalizeYear, schoolKey } from '../records/normalize.ts';
import { passResolution } from './passing.ts';
import * as q from './queries.ts';
import type { Message } from '../i18n/index.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import { lockAccount } from '../accounts/lifecycle.ts';
import { lockClaimOfAccount } from '../identity/claims.ts';
import { identityIndexOf } from '../identity/queries.ts';
import { recordAudit } from '../audit/audit.ts';
import { describeDevice } from '../lib/user-agent.ts';

export const RECORD_TRIES = 3;

export interface RecordClaim {
  kind: RecordKind;
  school: string;
  number: string;
  year: string;
  level: string;
}

export async function recordTriesUsed(deps: Pick<AccountDeps, 'db'>, idIndex: Buffer): Promise<number> {
  return q.recordChecksOf(deps.db, idIndex);
}

/** The typed record, checked for form only (reads nothing): a route may run it beside its other checks. */
export function parseClaim(input: RecordClaim, now: Date) {
  const fields: Record<string, Message> = {};
  const key = schoolKey(input.school);
  const number = normalizeNumber(input.number);
  const year = normalizeYear(input.year, now);
  const level = normalizeLevel(input.level);
  if (!key) fields.school = { code: 'records.school_required' };
  if (!number || number.length > 40) fields.number = { code: input.kind === 'enrolment' ? 'records.student_number_required' : 'records.certificate_required' };
  if (!year) fields.year = { code: 'records.year_invalid' };
  if (!level) fields.level = { code: 'records.level_invalid' };
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return { key, number, year: year!, level: level! };
}

/** Checks the record; on a match the resolution passes in the same transaction. */
export async function verifyByRecords(deps: AccountDeps, accountId: string, input: RecordClaim, meta: RequestMeta): Promise<{ deregistered: string[] }> {
  const claim = parseClaim(input, deps.clock.now());
  const outcome = await deps.db.transaction().execute(async (tx) => {
    // The claim row first: it serialises tries on one number (three parallel requests cannot
    // make four) and comes before every other lock a resolution takes.
    const index = await lockClaimOfAccount(tx, accountId);
    const account = index && (await lockAccount(tx, accountId));
    const identity = await identityIndexOf(tx, accountId);
    if (!index || !identity || account?.state !== 'needs_verification') return new AppError('resolution.not_needed', { status: 409 });
    const used = await recordTriesUsed({ db: tx }, index);
    if (used >= RECORD_TRIES) return new AppError('records.tries_exhausted', { status: 429, params: { used, max: RECORD_TRIES } });
    const record = await findRecord(tx, input.kind, claim.key, claim.number);
    const matched =
      record !== undefined &&
      record.year === claim.year &&
      record.level === claim.level &&
      record.name === identity.name &&
      constantTimeEqual(Buffer.from(record.id_index), index);
    await q.insertRecordCheck(tx, { index, accountId, matched, at: deps.clock.now() });
    // Every try is the person's to see in 安全记录 (a try they did not make is a warning sign).
    await recordAudit(tx, {
      action: 'resolution.records_tried',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { kind: input.kind, matched, device: describeDevice(meta.userAgent) },
      at: deps.clock.now(),
    });
    if (!matched) return { matched: false as const, used: used + 1 };
    return { matched: true as const, ...(await passResolution(tx, deps, accountId, 'records', { kind: 'account', id: accountId, ip: meta.ip })) };
  });
  if (outcome instanceof AppError) throw outcome;
  if (!outcome.matched) {
    // Committed above: the try counts even though nothing matched.
    throw new AppError(outcome.used >= RECORD_TRIES ? 'records.no_match_last' : 'records.no_match', {
      status: 422,
      params: { used: outcome.used, max: RECORD_TRIES },
    });
  }
  deps.outbox.nudge();
  return { deregistered: outcome.deregistered };
}

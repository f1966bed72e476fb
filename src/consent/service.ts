// What an account agreed to. Registration (every way in) records the current user agreement and
// personal-information policy in its own transaction; a sign-in compares what the account last
// agreed to with the current versions, and when one is newer the sign-in's way on passes through
// /consent (routes.tsx) before anything else; where sensitive information is collected, its own
// consent is recorded beside it. Rows are only added, so the history of what was agreed stays.
import type { Executor } from '../db/client.ts';
import { recordAudit } from '../audit/audit.ts';
import { LEGAL_DOCUMENTS, type LegalDocumentKind, type LegalLibrary } from './documents.ts';
import { SENSITIVE_PURPOSES, type SensitiveKind } from './sensitive-purposes.ts';
import { clearConsentDue } from '../sessions/service.ts';
import * as q from './queries.ts';

export { consentHistory, forgetConsentAddresses } from './queries.ts';

/** The current versions of every legal document, as rows to record. */
const currentRows = (legal: LegalLibrary) => LEGAL_DOCUMENTS.map((document) => ({ document, version: legal.versions[document] }));

/** A new account agreed to the current documents (its registration form's tick), in its transaction. */
export async function recordAgreement(tx: Executor, legal: LegalLibrary, accountId: string, meta: { ip: string | null; at: Date }): Promise<void> {
  await q.insertConsents(tx, accountId, currentRows(legal), meta.at, meta.ip);
}

/**
 * The documents whose current version the account has not agreed to (empty: nothing to ask), each
 * with the version it agreed to last (undefined: none, an account older than consent records).
 */
export async function documentsToRenew(
  db: Executor,
  legal: LegalLibrary,
  accountId: string,
): Promise<{ kind: LegalDocumentKind; agreed: string | undefined }[]> {
  const agreed = await q.agreedVersions(db, accountId, LEGAL_DOCUMENTS);
  return LEGAL_DOCUMENTS.filter((kind) => !agreed.some((r) => r.document === kind && r.version === legal.versions[kind])).map((kind) => ({
    kind,
    agreed: agreed.findLast((r) => r.document === kind)?.version,
  }));
}

/**
 * What /consent asks of a session held there: the documents due. When none is (agreed in another
 * tab, or the operator put the earlier version back), the session is let go, or it would be sent
 * back to /consent for ever.
 */
export async function documentsToAsk(db: Executor, legal: LegalLibrary, accountId: string, sessionHeld: boolean) {
  const due = await documentsToRenew(db, legal, accountId);
  if (due.length === 0 && sessionHeld) await clearConsentDue(db, accountId);
  return due;
}

/**
 * The account agreed to the current versions at /consent. `shown` is what the page showed: when an
 * operator published another version meanwhile, the person has not read it, so nothing is recorded.
 */
export async function renewAgreement(
  db: Executor,
  legal: LegalLibrary,
  accountId: string,
  shown: Partial<Record<LegalDocumentKind, string>>,
  meta: { ip: string | null; at: Date },
): Promise<boolean> {
  if (LEGAL_DOCUMENTS.some((kind) => shown[kind] !== legal.versions[kind])) return false;
  // Only what is due gets a row: a document already agreed to in its current version keeps the
  // date it was agreed, and agreeing twice (two tabs) records nothing twice.
  const due = await documentsToRenew(db, legal, accountId);
  await q.insertConsents(
    db,
    accountId,
    due.map(({ kind }) => ({ document: kind, version: legal.versions[kind] })),
    meta.at,
    meta.ip,
  );
  await clearConsentDue(db, accountId);
  if (due.length === 0) return true;
  await recordAudit(db, {
    action: 'consent.renewed',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: meta.ip,
    detail: { ...legal.versions },
    at: meta.at,
  });
  return true;
}

/**
 * The person ticked the separate consent where `kind` is collected; in the caller's transaction.
 * `params` are what its wording was shown with (the liveness provider's name), kept with it.
 */
export async function recordSensitiveConsent(
  tx: Executor,
  accountId: string,
  kind: SensitiveKind,
  meta: { ip: string | null; at: Date },
  params?: Record<string, string>,
): Promise<void> {
  const version = SENSITIVE_PURPOSES[kind].version;
  await q.insertConsents(tx, accountId, [{ document: `sensitive:${kind}`, version, params }], meta.at, meta.ip);
  await recordAudit(tx, {
    action: 'consent.sensitive_given',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: meta.ip,
    detail: { kind, version, ...params },
    at: meta.at,
  });
}

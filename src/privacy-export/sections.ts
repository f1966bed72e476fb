// The sections of an export, each a JSON file in the ZIP: everything Tongxing holds about one
// account, read at build time. The ID number goes in whole only when the person typed their
// password again when asking (with_full_id), and reading it is audited like every other full
// reading (identity/service.ts revealIdNumber). Photo evidence appears as metadata only.
import { revealIdNumber, type IdentityDeps } from '../identity/service.ts';
import { PERSONAL_AUDIT_ACTIONS, auditInfo } from '../audit/actions.ts';
import { addressShownToPerson } from '../audit/audit.ts';
import { SCOPE_CLAIMS } from '../sso/claims.ts';
import { describeDevice } from '../lib/user-agent.ts';
import * as q from './sections-queries.ts';
import { consentHistory } from '../consent/service.ts';
import { purposeAt, type SensitiveKind } from '../consent/sensitive-purposes.ts';
import { translator } from '../i18n/index.ts';
import type { SectionName } from './section-names.ts';
import { describePurpose, platformOfPurpose } from './decryption-purpose.ts';

export type Sections = Record<SectionName, unknown>;

const detailOf = (detail: unknown): Record<string, unknown> => {
  const parsed = typeof detail === 'string' ? (JSON.parse(detail) as unknown) : detail;
  return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
};

/**
 * What a platform received: the person's subject (every platform gets it: the OIDC sub, the CAS
 * user) and the claims (OIDC) or attributes (CAS) of the scopes consented.
 */
function receivedOf(scopes: string, idNumberAccess: string): string[] {
  const granted = scopes.split(/\s+/).filter(Boolean);
  const claims = granted.flatMap((scope) => {
    if (scope === 'idnumber' && idNumberAccess === 'none') return [];
    const named = (SCOPE_CLAIMS as Record<string, readonly string[]>)[scope] ?? [];
    return scope === 'idnumber' ? named.map((c) => (c === 'id_number' ? `id_number (${idNumberAccess})` : c)) : [...named];
  });
  return [...new Set(['sub', ...claims])];
}

export async function collectSections(deps: IdentityDeps, exportRow: { id: string; accountId: string; withFullId: boolean; lang: string }): Promise<Sections> {
  const t = translator(exportRow.lang === 'en' ? 'en' : 'zh-CN');
  const purposeOf = (kind: SensitiveKind, version: string, params: unknown) => {
    const named = (params ?? undefined) as Record<string, string> | undefined;
    const key = purposeAt(kind, version, named);
    return key ? t(key, named) : undefined;
  };
  const { db } = deps;
  const id = exportRow.accountId;
  const account = await q.accountRow(db, id);
  if (!account) throw new Error('the account of the export is gone');

  const identity = await q.identityRow(db, id);
  const fullId = identity && exportRow.withFullId ? await revealIdNumber(deps, id, { kind: 'account', id }, `data_export:${exportRow.id}`) : undefined;

  const [released, sessions, audit, consents, uses, casValidations, sub, received, sent, agreed] = await Promise.all([
    q.releasedContactsOf(db, id),
    q.sessionsOf(db, id),
    q.auditEventsOf(db, id, PERSONAL_AUDIT_ACTIONS),
    q.consentsOf(db, id),
    q.platformUsesOf(db, id),
    q.casValidationsOf(db, id),
    q.subjectOf(db, id),
    q.inboxReceivedBy(db, id),
    q.inboxSentBy(db, id),
    consentHistory(db, id),
  ]);
  const reviews = await q.photoReviewsOf(db, id);
  const files = await q.photoFilesOf(
    db,
    reviews.map((r) => r.id),
  );
  const [liveness, recordChecks, resolutions, holds, objections, disputes, support, social, passkeys, secondFactor] = await Promise.all([
    q.livenessSessionsOf(db, id),
    q.recordChecksOf(db, id),
    q.resolutionsOf(db, id),
    q.holdsOf(db, id),
    q.objectionsBy(db, id),
    q.disputesOf(db, id),
    q.supportRequestsOf(db, id),
    q.socialBindingsOf(db, id),
    q.passkeysOf(db, id),
    q.secondFactorOf(db, id),
  ]);
  const messages = await q.supportMessagesOf(
    db,
    support.map((r) => r.id),
  );
  const [enterprise, deregistrations, exports] = await Promise.all([q.enterpriseOf(db, id), q.selfDeregistrationsOf(db, id), q.dataExportsOf(db, id)]);
  // Which platforms received the full ID number, by name.
  const purposeCode = (detail: unknown) => {
    const purpose = detailOf(detail).purpose;
    return typeof purpose === 'string' ? purpose : undefined;
  };
  const decryptedFor = audit.filter((e) => e.action === 'identity.decrypted').map((e) => platformOfPurpose(purposeCode(e.detail) ?? ''));
  const names = await q.platformNames(db, [...new Set(decryptedFor.filter((c): c is string => c !== undefined))]);

  return {
    account: {
      account_id: account.id,
      kind: account.kind,
      state: account.state,
      registered_via: account.registered_via,
      created_at: account.created_at,
      activated_at: account.activated_at,
      updated_at: account.updated_at,
      password_recovered_at: account.password_recovered_at,
      username_recovered_at: account.username_recovered_at,
    },
    contacts: {
      phone: account.phone && { value: account.phone, proved_at: account.phone_verified_at },
      email: account.email && { value: account.email, proved_at: account.email_verified_at },
      released: released,
    },
    real_name: identity
      ? {
          name: identity.name,
          id_type: identity.id_type,
          id_number: fullId ?? identity.id_masked,
          id_number_is_full: fullId !== undefined,
          checked_by: identity.verifier,
          check_result: identity.verifier_result,
          checked_at: identity.checked_at,
          saved_at: identity.created_at,
          bound_at: account.realname_bound_at,
          bound_via: account.realname_bound_via,
        }
      : null,
    consents: agreed.map((c) => ({
      document: c.document,
      version: c.version,
      // A sensitive consent with the words the person ticked: its version's, with the names shown.
      ...(c.document.startsWith('sensitive:')
        ? { purpose: purposeOf(c.document.slice('sensitive:'.length) as SensitiveKind, c.version, c.purpose_params) }
        : {}),
      agreed_at: c.accepted_at,
      ip: c.ip,
    })),
    sessions: sessions.map((s) => ({ ...s, device: describeDevice(s.user_agent) })),
    security_log: audit.map((e) => {
      const detail = detailOf(e.detail);
      return {
        at: e.created_at,
        action: e.action,
        label: auditInfo(e.action)?.label,
        by: e.actor_kind,
        ip: addressShownToPerson(e),
        ...(typeof detail.via === 'string' ? { via: detail.via } : {}),
        ...(typeof detail.device === 'string' ? { device: detail.device } : {}),
        // The full ID number was read: why, and for a platform, which one.
        ...(e.action === 'identity.decrypted' && typeof detail.purpose === 'string' ? describePurpose(detail.purpose, e.actor_kind, names, t) : {}),
      };
    }),
    platforms: {
      subject: sub ?? null,
      authorised: consents.map((c) => ({
        client_id: c.client_id,
        name: c.name,
        protocol: c.protocol,
        scopes: c.scopes.split(/\s+/).filter(Boolean),
        received: receivedOf(c.scopes, c.id_number_access),
        authorised_at: c.created_at,
      })),
      used: uses,
      cas_validations: casValidations,
    },
    inbox: { received, sent },
    duplicate_id_cases: {
      photo_reviews: reviews.map((r) => ({
        state: r.state,
        submitted_at: r.submitted_at,
        decided_at: r.decided_at,
        reason: r.reason,
        photos: files.filter((f) => f.review_id === r.id).map((f) => ({ kind: f.kind, media_type: f.media_type, byte_size: f.byte_size })),
      })),
      app_verifications: liveness,
      record_checks: recordChecks,
      resolutions,
      classmate_holds: holds,
      // Objections the person wrote, as a holder of the number, against another account's case.
      objections_made: objections,
      deregistration_disputes: disputes,
    },
    support_requests: support.map((r) => ({
      reference: r.reference,
      category: r.category,
      source: r.source,
      state: r.state,
      created_at: r.created_at,
      updated_at: r.updated_at,
      closed_at: r.closed_at,
      messages: messages
        .filter((m) => m.request_id === r.id)
        .map((m) => ({ author: m.author, text: m.body, image: m.image_type ? { media_type: m.image_type } : null, at: m.created_at })),
    })),
    social_bindings: social,
    passkeys: passkeys.map((p) => ({
      name: p.name,
      synced: p.device_type === 'multiDevice',
      backed_up: p.backed_up,
      created_at: p.created_at,
      last_used_at: p.last_used_at,
    })),
    second_factor: {
      on: Boolean(secondFactor.totp?.enabled_at || secondFactor.passkeyFactor),
      authenticator: secondFactor.totp ? { added_at: secondFactor.totp.created_at, enabled_at: secondFactor.totp.enabled_at } : null,
      passkeys_as_second_factor: secondFactor.passkeyFactor ? { enabled_at: secondFactor.passkeyFactor.enabled_at } : null,
      recovery_codes: secondFactor.codes,
      removals_through_recovery: secondFactor.removals,
    },
    enterprise: enterprise ?? null,
    self_deregistrations: deregistrations,
    data_exports: exports.map((x) => ({
      state: x.state,
      with_full_id_number: x.with_full_id,
      lang: x.lang,
      requested_at: x.requested_at,
      ready_at: x.ready_at,
      expires_at: x.expires_at,
    })),
  };
}

// Enterprise accounts (企业用户): registered by email like a person's, with the enterprise's name,
// its 统一社会信用代码 (one account per code) and a contact person. An enterprise that lost its
// username or password cannot use the personal recovery paths (no ID number to answer with): it
// sends 《企业用户帐号查找申请函》 with its stamped letter, and support answers after checking it.
import { randomUUID } from 'node:crypto';
import { AppError, ValidationError } from '../lib/errors.ts';
import { sealBytes, resealAll, type FieldKeys } from '../lib/field-crypto.ts';
import { recordAudit } from '../audit/audit.ts';
import { requireCaptcha, type CaptchaAnswer } from '../captcha/service.ts';
import { type AccountDeps } from '../accounts/deps.ts';
import { ACTIVATION_LINK_TTL_MS, registerByEmail } from '../registration/service.ts';
import type { UploadedFile } from '../http/uploads.ts';
import { checkLetter, LetterRejected, MAX_LETTER_BYTES, type CheckedLetter } from './letter.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { voidLapsedRegistration } from '../accounts/lifecycle.ts';
import { markEnterprise } from '../accounts/queries.ts';
import * as q from './queries.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { Db } from '../db/client.ts';

export interface EnterpriseRegistration {
  email: string;
  password: string;
  /** 我已阅读并同意《用户协议》《个人信息保护政策》 was ticked. */
  agreed: true;
  enterpriseName: string;
  creditCode: string;
  contactName: string;
}

/**
 * One confirmed enterprise account per credit code (confirmation.ts). Credit codes are public, so
 * an unconfirmed account keeps no one out: only a confirmed one makes the code "already
 * registered", and that is asked only inside a registration (after its per-IP limits), so it
 * cannot be collected in bulk. A sign-up never activated in time is voided when the next one for
 * its code arrives.
 */
export async function registerEnterprise(deps: AccountDeps, input: EnterpriseRegistration, meta: RequestMeta) {
  const taken = () => new AppError('enterprise.credit_code_taken', { field: 'creditCode', status: 409 });
  try {
    return await registerByEmail(
      deps,
      {
        email: input.email,
        password: input.password,
        agreed: input.agreed,
        onCreated: async (tx, accountId, now) => {
          // Serialised with a confirmation of the code, so one cannot slip in beside it.
          await q.lockCreditCode(tx, input.creditCode);
          // A sign-up for this code that was never activated in time is void: it gives up the code,
          // and its address may register again (it never proved anything).
          const lapsed = await q.lapsedSignUps(tx, input.creditCode, new Date(now.getTime() - ACTIVATION_LINK_TTL_MS), now);
          for (const old of lapsed) {
            // Activated in the meantime (the row lock waited for it): it keeps everything.
            if (!(await voidLapsedRegistration(tx, old.id, now))) continue;
            await q.deleteEnterprise(tx, old.id);
            await recordAudit(tx, {
              action: 'enterprise.registration_lapsed',
              actor: { kind: 'system' },
              accountId: old.id,
              detail: { replacedBy: accountId },
              at: now,
            });
          }
          if (await q.confirmedHolder(tx, input.creditCode)) throw taken();
          await markEnterprise(tx, accountId);
          await q.insertEnterprise(tx, { accountId, name: input.enterpriseName, creditCode: input.creditCode, contactName: input.contactName, now });
        },
      },
      meta,
    );
  } catch (error) {
    // The address was checked (and its own message given) by the registration; what is left is the code.
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
}

export interface EnterpriseLookupRequest {
  enterpriseName: string;
  creditCode: string;
  contactName: string;
  contactPhone?: string | undefined;
  contactEmail?: string | undefined;
  wants: 'username' | 'password' | 'confirm';
  letter: UploadedFile | undefined;
  captcha: CaptchaAnswer;
}

export const letterAad = (requestId: string) => `enterprise-letter:${requestId}`;
/** A page image is bound to its letter and its place in it (it cannot be moved to another). */
export const letterPageAad = (requestId: string, pageNumber: number) => `enterprise-letter-page:${requestId}:${pageNumber}`;

/** Stores a look-up request for support. The answer never says whether the enterprise is registered. */
export async function submitLookupRequest(deps: AccountDeps, input: EnterpriseLookupRequest, meta: RequestMeta): Promise<void> {
  await requireCaptcha(deps.captcha, input.captcha, 'enterprise_lookup', meta.ip);
  if (input.wants === 'password' && !input.contactEmail) throw new ValidationError({ contactEmail: { code: 'enterprise.email_for_reset' } });
  if (!input.contactPhone && !input.contactEmail) throw new ValidationError({ contactPhone: { code: 'enterprise.contact_required' } });
  const letter = input.letter;
  if (!letter || letter.data.length === 0) throw new ValidationError({ letter: { code: 'enterprise.letter_required' } });
  if (letter.truncated || letter.data.length > MAX_LETTER_BYTES) throw new ValidationError({ letter: { code: 'enterprise.letter_too_large' } });
  // Spent before the letter is read: reading a PDF is the costly part, refused or not.
  await deps.limits.consume('recoveryPerIp', meta.ip);
  let checked: CheckedLetter;
  try {
    checked = await checkLetter(letter.data);
  } catch (error) {
    if (error instanceof LetterRejected) throw new ValidationError({ letter: { code: error.code, params: error.params } });
    throw error;
  }
  const id = randomUUID();
  const sealed = sealBytes(deps.identity.keys, checked.data, letterAad(id));
  // A PDF's pages, drawn at upload (letter.ts): staff see these, never the PDF.
  const pages = checked.pages.map((png, index) => {
    const page = sealBytes(deps.identity.keys, png, letterPageAad(id, index + 1));
    return { request_id: id, page_number: index + 1, key_id: page.keyId, cipher: page.data };
  });
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (tx) => {
    await q.insertRequest(tx, {
      id,
      enterprise_name: input.enterpriseName,
      credit_code: input.creditCode,
      contact_name: input.contactName,
      contact_phone: input.contactPhone ?? null,
      contact_email: input.contactEmail ?? null,
      wants: input.wants,
      letter_media_type: checked.mediaType,
      letter_key_id: sealed.keyId,
      letter_cipher: sealed.data,
      state: 'pending',
      submitted_at: now,
      ip: meta.ip,
      claimed_by: null,
      claimed_at: null,
      handled_by: null,
      handled_at: null,
      account_id: null,
      outcome: null,
    });
    await q.insertLetterPages(tx, pages);
    await recordAudit(tx, {
      action: 'enterprise.lookup_requested',
      actor: { kind: 'anonymous' },
      ip: meta.ip,
      detail: { requestId: id, wants: input.wants },
      at: now,
    });
  });
}

/**
 * `tongxing keys rotate`: the stamped letters and their page images sealed under an older key,
 * re-sealed under the active one. Counts letters and page images together.
 */
export async function rotateLetterKeys(deps: { db: Db; keys: FieldKeys }): Promise<number> {
  const rows = await q.lettersUnderOtherKeys(deps.db, deps.keys.activeKeyId);
  const letters = await resealAll(
    deps.keys,
    rows,
    (r) => ({ sealed: { keyId: r.letter_key_id, data: r.letter_cipher }, aad: letterAad(r.id) }),
    (r, sealed, oldKeyId) => q.replaceLetterCipher(deps.db, r.id, oldKeyId, sealed.keyId, sealed.data),
  );
  const pages = await resealAll(
    deps.keys,
    await q.letterPagesUnderOtherKeys(deps.db, deps.keys.activeKeyId),
    (r) => ({ sealed: { keyId: r.key_id, data: r.cipher }, aad: letterPageAad(r.request_id, r.page_number) }),
    (r, sealed, oldKeyId) => q.replaceLetterPageCipher(deps.db, r.request_id, r.page_number, oldKeyId, sealed.keyId, sealed.data),
  );
  return letters + pages;
}

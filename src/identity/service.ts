// 基本信息: name, document type and number, saved once and never changed by the person. The
// number is encrypted (AES-256-GCM), found through a keyed blind index and shown masked. Who
// holds each number is claims.ts's; the claim row is locked while deciding, so two people
// claiming one number at the same moment leave exactly one owner.
import { randomBytes } from 'node:crypto';
import type { Db, Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { MessageKey } from '../i18n/index.ts';
import { blindIndex, open, seal, type FieldKeys } from '../lib/field-crypto.ts';
import { recordAudit } from '../audit/audit.ts';
import { ID_TYPE_CODES, maskIdNumber, validateIdNumber, type IdType, type Valid } from './id-numbers/index.ts';
import { nameProblem, normalizeName } from './names.ts';
import type { IdentityVerifier, VerifierResult } from './verifier.ts';
import * as q from './queries.ts';
import { claimNumber, disputeClaim, findClaim } from './claims.ts';

export interface IdentityDeps {
  db: Db;
  clock: Clock;
  keys: FieldKeys;
  verifier: IdentityVerifier;
}

export interface IdentityInput {
  name: string;
  idType: IdType;
  idNumber: string;
  /** 我要重新注册: claim a number another account holds, accepting the verification that follows. */
  reRegister: boolean;
}

/** A checked identity, ready to be stored inside the caller's transaction. */
export interface CheckedIdentity {
  name: string;
  id: Valid;
  verifier: string;
  verifierResult: VerifierResult;
  reRegister: boolean;
}

const FOREIGN_DOCUMENTS: ReadonlySet<IdType> = new Set(['passport', 'foreign_permanent']);

/** The blind index of a number: its type is part of it, so equal strings of two types differ. */
export const indexOf = (keys: FieldKeys, id: Pick<Valid, 'type' | 'canonical'>) => blindIndex(keys, `id:${id.type}`, id.canonical);

/** The document types a number may be signed in with (a passport number is not unique enough). */
export const SIGN_IN_ID_TYPES: readonly IdType[] = ['resident_id', 'hmt_residence', 'foreign_permanent', 'hk_macao_permit', 'taiwan_permit'];

/**
 * The blind index of a typed number under every document type it is valid as: a number typed
 * without its type (sign-in, staff search) is looked up as each of them.
 */
export function indexesOfTyped(keys: FieldKeys, typed: string, now: Date, types: readonly IdType[] = ID_TYPE_CODES): Buffer[] {
  return types.flatMap((type) => {
    const id = validateIdNumber(type, typed, now);
    return id.ok ? [indexOf(keys, id)] : [];
  });
}

/** The name and number as typed, checked for form only (no registry, no claim): recovery uses it too. */
export function validateIdentityFields(input: Pick<IdentityInput, 'name' | 'idType' | 'idNumber'>, now: Date): { name: string; id: Valid } {
  const name = normalizeName(input.name);
  const problem = nameProblem(name, FOREIGN_DOCUMENTS.has(input.idType));
  const id = validateIdNumber(input.idType, input.idNumber, now);
  // Both wrong: both at once (a form shows each beside its field), not one per try.
  if (problem && !id.ok) throw new ValidationError({ name: { code: problem }, idNumber: { code: id.code } });
  if (problem) throw new AppError(problem, { field: 'name' });
  if (!id.ok) throw new AppError(id.code, { field: 'idNumber' });
  return { name, id };
}

/**
 * Every problem of the typed name and number at once, for a form that shows them together
 * (validateIdentityFields stops at the first). Checks form only, like validateIdentityFields.
 */
export function identityFieldProblems(input: Pick<IdentityInput, 'name' | 'idType' | 'idNumber'>, now: Date): { name?: MessageKey; idNumber?: MessageKey } {
  const problem = nameProblem(normalizeName(input.name), FOREIGN_DOCUMENTS.has(input.idType));
  const id = validateIdNumber(input.idType, input.idNumber, now);
  return { ...(problem ? { name: problem } : {}), ...(id.ok ? {} : { idNumber: id.code }) };
}

/** Validates the input and asks the registry verifier (outside any transaction: it may be slow). */
export async function checkIdentity(deps: IdentityDeps, input: IdentityInput): Promise<CheckedIdentity> {
  const { name, id } = validateIdentityFields(input, deps.clock.now());
  const verifierResult = await deps.verifier.verify({ name, idType: id.type, idNumber: id.canonical });
  if (verifierResult === 'mismatch') throw new AppError('identity.registry_mismatch', { field: 'idNumber' });
  return { name, id, verifier: deps.verifier.name, verifierResult, reRegister: input.reRegister };
}

export type SaveOutcome = 'owner' | 'claimant';

/**
 * Stores a checked identity for an account and decides its claim, in the caller's transaction: a
 * free number becomes the account's; one held by someone else is refused (情况一, 情况二) unless
 * the person ticked 我要重新注册, which disputes it and makes this account a claimant. What that
 * means for the account (its state, its real-name binding) is the account's to decide
 * (accounts/real-name.ts).
 */
export async function storeIdentity(
  tx: Executor,
  deps: IdentityDeps,
  accountId: string,
  checked: CheckedIdentity,
  meta: { ip: string | null },
): Promise<SaveOutcome> {
  const now = deps.clock.now();
  if (await q.findIdentity(tx, accountId)) throw new AppError('identity.already_saved', { status: 409 });
  const index = indexOf(deps.keys, checked.id);
  const claim = await claimNumber(tx, index, accountId, now);
  let outcome: SaveOutcome = 'owner';
  if (claim.owner_account_id !== accountId) {
    if (claim.state === 'disputed') throw new AppError('identity.case1_pending', { field: 'idNumber', status: 409 });
    if (!checked.reRegister) throw new AppError('identity.case2_registered', { field: 'idNumber', status: 409 });
    await disputeClaim(tx, index, now);
    outcome = 'claimant';
  }
  const sealed = seal(deps.keys, checked.id.canonical, `identity:${accountId}`);
  await insertOnce(tx, {
    accountId,
    name: checked.name,
    idType: checked.id.type,
    keyId: sealed.keyId,
    cipher: sealed.data,
    index,
    masked: maskIdNumber(checked.id.canonical),
    verifier: checked.verifier,
    verifierResult: checked.verifierResult,
    now,
  });
  await recordAudit(tx, {
    action: 'identity.saved',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: meta.ip,
    detail: { idType: checked.id.type, outcome, verifier: checked.verifier, verifierResult: checked.verifierResult },
    at: now,
  });
  return outcome;
}

/**
 * The account's one identity row. Two saves at once (a double click, two tabs) both pass the
 * check above; the second insert then meets the first's key and is told as the check would tell
 * it (its transaction, aborted by the failed insert, rolls back whole).
 */
async function insertOnce(tx: Executor, row: Parameters<typeof q.insertIdentity>[1]): Promise<void> {
  try {
    await q.insertIdentity(tx, row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('identity.already_saved', { status: 409 });
    throw error;
  }
}

export interface IdentityView {
  name: string;
  idType: string;
  masked: string;
  verifierResult: string;
  checkedAt: Date;
}

export async function identityOf(db: Executor, accountId: string): Promise<IdentityView | undefined> {
  const row = await q.findIdentity(db, accountId);
  return row && { name: row.name, idType: row.id_type, masked: row.id_masked, verifierResult: row.verifier_result, checkedAt: row.checked_at };
}

/** The full number, for a stated purpose; every call is audited with actor and purpose. */
export async function revealIdNumber(
  deps: IdentityDeps,
  accountId: string,
  actor: { kind: 'account' | 'staff' | 'system'; id?: string; ip?: string | null },
  purpose: string,
): Promise<string | undefined> {
  return deps.db.transaction().execute(async (tx) => {
    const row = await q.findIdentity(tx, accountId);
    if (!row) return undefined;
    const plain = open(deps.keys, { keyId: row.id_key_id, data: Buffer.from(row.id_cipher) }, `identity:${accountId}`);
    await recordAudit(tx, {
      action: 'identity.decrypted',
      actor: { kind: actor.kind, id: actor.id },
      accountId,
      ip: actor.ip ?? null,
      detail: { purpose },
      at: deps.clock.now(),
    });
    return plain;
  });
}

/** The owner of a registered number (for sign-in by ID number), if its real name is bound. */
export async function ownerOfIdNumber(deps: IdentityDeps, typed: string): Promise<string | undefined> {
  for (const index of indexesOfTyped(deps.keys, typed, deps.clock.now(), SIGN_IN_ID_TYPES)) {
    const claim = await findClaim(deps.db, index);
    if (claim) return claim.owner_account_id;
  }
  return undefined;
}

/**
 * Re-encrypts every ID number held under an older key with the active one (`tongxing keys
 * rotate`). Rows are read and rewritten in small batches; a row another process rotated in the
 * meantime is left as it is (the update is guarded by its old key id).
 */
export async function rotateIdKeys(deps: Pick<IdentityDeps, 'db' | 'keys'>, batch = 200): Promise<number> {
  let rotated = 0;
  for (;;) {
    const rows = await q.identitiesWithOtherKey(deps.db, deps.keys.activeKeyId, batch);
    if (rows.length === 0) return rotated;
    for (const row of rows) {
      const aad = `identity:${row.account_id}`;
      const plain = open(deps.keys, { keyId: row.id_key_id, data: Buffer.from(row.id_cipher) }, aad);
      const sealed = seal(deps.keys, plain, aad);
      await q.replaceCipher(deps.db, row.account_id, row.id_key_id, sealed.keyId, sealed.data);
      rotated++;
    }
  }
}

/**
 * A deregistered account's retention is over: its real-name information is erased (queries.ts,
 * eraseIdentity). The caller holds the account's lock and has made sure no claim names it.
 * `index` is the random value the blind index becomes; the caller gives the same one to the other
 * rows that held the number's index (resolutions, 途径4 tries), so they still match the account's
 * identity among themselves but match the number no more.
 */
export async function eraseIdentityOf(tx: Executor, deps: Pick<IdentityDeps, 'keys'>, accountId: string, index: Buffer = randomBytes(32)): Promise<boolean> {
  const blank = seal(deps.keys, '', `identity:${accountId}`);
  return q.eraseIdentity(tx, accountId, { keyId: blank.keyId, cipher: blank.data, index });
}

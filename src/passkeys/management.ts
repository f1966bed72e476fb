// 帐号管理 → 通行密钥: the account's passkeys listed, renamed and removed. Removing one is audited
// and told to the account's proved contacts in the transaction that removes it; renaming is
// audited (it changes what the list and later notices call the device).
import { AppError } from '../lib/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { notifyContacts } from '../notifications/notify-contacts.ts';
import { describeDevice } from '../lib/user-agent.ts';
import type { RequestMeta } from '../http/request-meta.ts';
import type { PasskeyDeps } from './deps.ts';
import { passkeyName } from './names.ts';
import { passkeyRemoved, provedContactsOf } from './notices.ts';
import * as q from './queries.ts';

export interface PasskeyListItem {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Synced between the person's devices (a passkey manager), rather than held by one device. */
  synced: boolean;
}

export async function passkeysOf(deps: Pick<PasskeyDeps, 'db'>, accountId: string): Promise<PasskeyListItem[]> {
  const rows = await q.listForAccount(deps.db, accountId);
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, synced: r.device_type === 'multiDevice' }));
}

const isId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);

export async function renamePasskey(deps: PasskeyDeps, accountId: string, id: string, nameInput: string | undefined, meta: RequestMeta): Promise<string> {
  const name = passkeyName(nameInput);
  if (!isId(id)) throw new AppError('passkeys.not_found', { status: 404 });
  await deps.db.transaction().execute(async (tx) => {
    const passkey = await q.findOwn(tx, accountId, id);
    if (!passkey) throw new AppError('passkeys.not_found', { status: 404 });
    if (passkey.name === name) return;
    await q.rename(tx, accountId, id, name);
    await recordAudit(tx, {
      action: 'passkey.renamed',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { passkeyId: id, from: passkey.name, name, device: describeDevice(meta.userAgent) },
      at: deps.clock.now(),
    });
  });
  return name;
}

/** Removes the account's passkey `id`; answers its name. It can no longer sign in from the moment this commits. */
export async function removePasskey(deps: PasskeyDeps, accountId: string, id: string, meta: RequestMeta): Promise<string> {
  if (!isId(id)) throw new AppError('passkeys.not_found', { status: 404 });
  const now = deps.clock.now();
  const name = await deps.db.transaction().execute(async (tx) => {
    // Lock order as when adding: the account, then its passkey.
    const account = await q.accountForCeremonyForUpdate(tx, accountId);
    const passkey = account && (await q.findOwn(tx, accountId, id));
    if (!account || !passkey) throw new AppError('passkeys.not_found', { status: 404 });
    await deps.beforeRemoving?.(tx, accountId, (await q.countForAccount(tx, accountId)) - 1);
    await q.remove(tx, accountId, id);
    await recordAudit(tx, {
      action: 'passkey.removed',
      actor: { kind: 'account', id: accountId },
      accountId,
      ip: meta.ip,
      detail: { passkeyId: id, name: passkey.name, device: describeDevice(meta.userAgent) },
      at: now,
    });
    await notifyContacts(tx, deps.outbox, provedContactsOf(account), passkeyRemoved(passkey.name, now));
    return passkey.name;
  });
  deps.outbox.nudge();
  return name;
}

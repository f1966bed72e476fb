// Sign-in sessions: a 256-bit random token in the cookie (or Bearer header), its keyed hash in
// the database, an idle timeout and an absolute lifetime, and a new token at every sign-in.
import type { Db, Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { hmacSha256, randomToken } from '../lib/crypto.ts';
import type { AccountKind, AccountState, AuthMethod } from '../db/schema.ts';
import * as q from './queries.ts';

export interface SessionDeps {
  db: Db;
  clock: Clock;
  sessionKey: Buffer;
  idleMs: number;
  absoluteMs: number;
}

export interface SessionAccount {
  id: string;
  state: AccountState;
  /** Enterprise accounts (企业用户) hold no person's real-name information. */
  kind: AccountKind;
  phone: string | null;
  email: string | null;
  phoneVerifiedAt: Date | null;
  emailVerifiedAt: Date | null;
  registeredVia: 'phone' | 'email';
  createdAt: Date;
  realnameBoundAt: Date | null;
  identity: { name: string; idType: string; masked: string; verifierResult: string } | null;
  /** Unread inbox items, for the icon in the header. */
  inboxUnread: number;
}

export interface CurrentSession {
  id: string;
  accountId: string;
  accountState: AccountState;
  createdAt: Date;
  /** When the password was last typed in this session: sensitive settings want this recent. */
  authenticatedAt: Date;
  /** How the person proved who they are at sign-in (auth-methods.ts). */
  methods: AuthMethod[];
  /**
   * Started while a newer user agreement or policy waited to be agreed to: until the person agrees
   * (or signs out) the session reaches only /consent and what it links to (consent/due-gate.ts).
   */
  consentDue: boolean;
  /** The account as it is at this request. */
  account: SessionAccount;
}

/** Only touch last_seen once a minute: a write per request would cost more than it tells. */
const TOUCH_INTERVAL_MS = 60_000;

const hashToken = (deps: Pick<SessionDeps, 'sessionKey'>, token: string) => hmacSha256(deps.sessionKey, token);

export async function createSession(
  db: Executor,
  deps: SessionDeps,
  input: { accountId: string; ip: string | null; userAgent: string | null; methods: AuthMethod[]; consentDue?: boolean },
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = randomToken(32);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.absoluteMs);
  const id = await q.insertSession(db, {
    tokenHash: hashToken(deps, token),
    accountId: input.accountId,
    now,
    expiresAt,
    ip: input.ip,
    userAgent: input.userAgent ? input.userAgent.slice(0, 300) : null,
    methods: input.methods,
    consentDue: input.consentDue ?? false,
  });
  return { token, id, expiresAt };
}

/** The live session behind a token, or undefined when it is unknown, revoked, idle or too old. */
export async function resolveSession(deps: SessionDeps, token: string): Promise<CurrentSession | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const row = await q.findLiveSessionByHash(deps.db, hashToken(deps, token));
  if (!row) return undefined;
  const now = deps.clock.now().getTime();
  if (row.expires_at.getTime() <= now) return undefined;
  if (row.last_seen_at.getTime() + deps.idleMs <= now) return undefined;
  if (row.account_state === 'deregistered' || row.account_state === 'suspended') return undefined;
  if (now - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) await q.touchSession(deps.db, row.id, new Date(now));
  return {
    id: row.id,
    accountId: row.account_id,
    accountState: row.account_state,
    createdAt: row.created_at,
    authenticatedAt: row.authenticated_at ?? row.created_at,
    methods: row.auth_methods,
    consentDue: row.consent_due,
    account: {
      id: row.account_id,
      state: row.account_state,
      kind: row.account_kind,
      phone: row.phone,
      email: row.email,
      phoneVerifiedAt: row.phone_verified_at,
      emailVerifiedAt: row.email_verified_at,
      registeredVia: row.registered_via,
      createdAt: row.account_created_at,
      realnameBoundAt: row.realname_bound_at,
      identity:
        row.identity_name && row.identity_type && row.identity_masked && row.identity_verifier_result
          ? { name: row.identity_name, idType: row.identity_type, masked: row.identity_masked, verifierResult: row.identity_verifier_result }
          : null,
      inboxUnread: Number(row.inbox_unread ?? 0),
    },
  };
}

export const revokeSession = (db: Executor, deps: Pick<SessionDeps, 'clock'>, accountId: string, sessionId: string) =>
  q.revokeSession(db, accountId, sessionId, deps.clock.now());

export const revokeOtherSessions = (db: Executor, deps: Pick<SessionDeps, 'clock'>, accountId: string, keepId: string | null) =>
  q.revokeOtherSessions(db, accountId, keepId, deps.clock.now());

export const markSessionAuthenticated = (db: Executor, deps: Pick<SessionDeps, 'clock'>, sessionId: string) =>
  q.markAuthenticated(db, sessionId, deps.clock.now());

export const clearConsentDue = (db: Executor, accountId: string) => q.clearConsentDue(db, accountId);

export const listSessions = (deps: SessionDeps, accountId: string) => q.listLiveSessions(deps.db, accountId, deps.clock.now());

/** Ends the session behind a token (single sign-out from a platform); false when none was live. */
export async function revokeSessionByToken(deps: SessionDeps, token: string): Promise<boolean> {
  const session = await resolveSession(deps, token);
  if (!session) return false;
  return q.revokeSession(deps.db, session.accountId, session.id, deps.clock.now());
}

/** A deregistered account's retention is over: its sessions keep no IP or browser. */
export const forgetSessionDevices = (db: Executor, accountId: string) => q.forgetDevicesOf(db, accountId);

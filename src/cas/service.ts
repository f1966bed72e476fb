// The CAS server's rules (Apereo CAS Protocol 3.0), on Tongxing's accounts, sessions, consents and
// platform registry. A ticket's life:
//
//   TGT  one per Tongxing sign-in session, made at its first CAS sign-in; ends with the session
//        (sign-out, revoked, account suspended or deregistered), and with it every ticket below.
//   ST   issued at /cas/login for one service URL; one validation attempt, pass or fail, within
//        its life (10 s by default); a validated ST stays as the SessionIndex of single logout.
//   PGT  issued at validation to a platform allowed to proxy, delivered to its HTTPS callback
//        (which must answer 200 before the PGTIOU is returned); reusable until the TGT ends.
//   PT   issued at /cas/proxy from a PGT for a registered target service; validated like an ST,
//        but only at /proxyValidate, and the validation names the proxies it came through.
//
// Every refusal names the specification's code; nothing here knows about HTTP.
import type { Db, Executor } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { Outbox } from '../notifications/outbox.ts';
import type { RateLimits } from '../security/rate-limits.ts';
import type { CurrentSession } from '../sessions/service.ts';
import { acrOf, amrOf } from '../sessions/auth-methods.ts';
import { hmacSha256, constantTimeEqual, randomToken } from '../lib/crypto.ts';
import { revealIdNumber, type IdentityDeps } from '../identity/service.ts';
import { accountOfSubject, realnameStatus, subjectOf, usableAtPlatforms, type RealnameStatus } from '../sso/claims.ts';
import { rememberConsent, rememberedConsent } from '../sso/consents.ts';
import { casPlatformOf, casPlatforms, platformForService, recordCasPlatformUse, type CasPlatform } from '../sso/cas-registry.ts';
import { recordAudit } from '../audit/audit.ts';
import { newTicket, ticketHash, ticketKind } from './tickets.ts';
import { serviceMatches, serviceUrlProblem } from '../sso/cas-services.ts';
import { logoutRequestXml, type CasAttributes, type CasErrorCode, type CasSuccess } from './responses.ts';
import * as q from './queries.ts';
import { isForeignKeyViolation } from '../db/errors.ts';

export interface CasDeps {
  db: Db;
  clock: Clock;
  identity: IdentityDeps;
  outbox: Outbox;
  limits: RateLimits;
  /** Life of service and proxy tickets (CAS_TICKET_TTL_SECONDS, 10 s by default). */
  ticketTtlMs: number;
  /** A TGT and its PGTs live no longer than the session they belong to can. */
  sessionAbsoluteMs: number;
  /** A session unused this long has ended (sessions/service.ts), and its TGT with it. */
  sessionIdleMs: number;
  /** Signs the moment a /cas/login began, so "a password typed since" cannot be forged. */
  loginProofKey: Buffer;
  /** The login-proof cookie is __Host- and Secure over HTTPS. */
  secureCookies: boolean;
  /** Outside production, services and proxy callbacks on 127.0.0.1/localhost may use http. */
  allowLoopbackHttp: boolean;
  /** GET of a proxy callback URL; answers the HTTP status. */
  callProxyCallback: (url: string) => Promise<number>;
}

export type { CasPlatform };

export class CasFailure extends Error {
  readonly code: CasErrorCode;
  readonly description: string;
  constructor(code: CasErrorCode, description: string) {
    super(`${code}: ${description}`);
    this.code = code;
    this.description = description;
  }
}

export { platformForService };

// ---------------------------------------------------------------------------------------------
// /cas/login

/** How long a /cas/login's start proof is honoured: a sign-in takes minutes, not hours. */
const LOGIN_PROOF_MS = 10 * 60_000;

/**
 * The proof of when a /cas/login began, `ts.nonce.mac`, which the sign-in carries back. The nonce
 * is also in a cookie of this browser (routes.tsx), and the ticket that uses the proof clears that
 * cookie: a proof is good once, in the browser it was made for — a link made elsewhere, or one
 * replayed after its ticket, proves no password was typed for this login.
 */
export function loginProof(deps: Pick<CasDeps, 'loginProofKey' | 'clock'>, nonce: string): string {
  const ts = String(deps.clock.now().getTime());
  return `${ts}.${nonce}.${hmacSha256(deps.loginProofKey, `cas-login:${ts}.${nonce}`).toString('base64url')}`;
}

/** When the login began, or undefined for a forged, stale or foreign proof (`cookieNonce`: this browser's). */
export function loginStartedAt(deps: Pick<CasDeps, 'loginProofKey' | 'clock'>, proof: string | undefined, cookieNonce: string | undefined): Date | undefined {
  const match = proof ? /^(\d{13})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(proof) : null;
  if (!match || !cookieNonce) return undefined;
  const expected = hmacSha256(deps.loginProofKey, `cas-login:${match[1]}.${match[2]}`);
  if (!constantTimeEqual(Buffer.from(match[3]!, 'base64url'), expected)) return undefined;
  if (!constantTimeEqual(Buffer.from(match[2]!), Buffer.from(cookieNonce))) return undefined;
  const at = new Date(Number(match[1]));
  const age = deps.clock.now().getTime() - at.getTime();
  return age >= 0 && age <= LOGIN_PROOF_MS ? at : undefined;
}

export type LoginStep =
  | { step: 'unknown_service' }
  | { step: 'sign_in' }
  | { step: 'confirm_password' }
  /** The session is held at /consent (new documents to agree to): there first, then back here. */
  | { step: 'consent_due' }
  | { step: 'gateway_return' }
  | { step: 'account_unavailable' }
  | { step: 'realname_required'; platform: CasPlatform; status: Exclude<RealnameStatus, 'verified'> }
  | { step: 'consent'; platform: CasPlatform; scopes: string[] }
  | { step: 'warn'; platform: CasPlatform }
  | { step: 'ticket'; platform: CasPlatform; redirectTo: string };

/** The scopes a platform's attributes come from (openid is the subject itself). */
const releasedScopes = (platform: CasPlatform) => platform.scopes.filter((s) => s !== 'openid');

/**
 * What /cas/login does next for this browser. `startedAt` is when this login began (from its
 * signed proof): a password typed since then is a new login, which renew=true demands.
 */
export async function nextLoginStep(
  deps: CasDeps,
  input: {
    service: string;
    renew: boolean;
    gateway: boolean;
    /** warn (§2.1.1): single sign-on must not be transparent — ask before the ticket. */
    warn: boolean;
    session: CurrentSession | undefined;
    startedAt: Date | undefined;
    ip: string;
  },
): Promise<LoginStep> {
  const platform = await platformForService(deps.db, input.service);
  if (!platform) return { step: 'unknown_service' };
  const session = input.session;
  if (!session) return input.gateway && !input.renew ? { step: 'gateway_return' } : { step: 'sign_in' };
  const fromNewLogin = input.startedAt !== undefined && session.authenticatedAt.getTime() >= input.startedAt.getTime();
  // renew: the password now, whatever the session (with gateway too: §2.1.1 says renew wins).
  if (input.renew && !fromNewLogin) return { step: 'confirm_password' };
  // An account is not used under documents its holder has not agreed to (consent/due-gate.ts);
  // gateway may show nothing, so the platform hears that no one is signed in.
  if (session.consentDue) return input.gateway ? { step: 'gateway_return' } : { step: 'consent_due' };
  const sub = await subjectOf(deps.db, session.accountId);
  const account = await accountOfSubject(deps.db, sub);
  // gateway promises to come back without showing anything (§2.1.1): whatever stands in the way.
  if (!account || !usableAtPlatforms(account.state)) return input.gateway ? { step: 'gateway_return' } : { step: 'account_unavailable' };
  const status = realnameStatus(account);
  if (platform.requires_realname && status !== 'verified') return input.gateway ? { step: 'gateway_return' } : { step: 'realname_required', platform, status };
  if (!(await consentCovers(deps, sub, platform))) {
    const scopes = releasedScopes(platform);
    return input.gateway ? { step: 'gateway_return' } : { step: 'consent', platform, scopes };
  }
  if (input.warn && !fromNewLogin) return { step: 'warn', platform };
  const ticket = await issueServiceTicket(deps, { session, platform, service: input.service, fromNewLogin, ip: input.ip });
  return { step: 'ticket', platform, redirectTo: withParam(input.service, 'ticket', ticket) };
}

/** Whether the person's remembered consent to the platform covers everything it is released. */
async function consentCovers(deps: Pick<CasDeps, 'db'>, sub: string, platform: CasPlatform): Promise<boolean> {
  const consent = await rememberedConsent(deps.db, sub, platform.client_id);
  const consented = new Set(consent?.scopes.split(' ') ?? []);
  return Boolean(consent) && releasedScopes(platform).every((s) => consented.has(s));
}

/** Remembers the person's consent to a CAS platform (已授权的平台 lists and withdraws it). */
export async function consentToPlatform(deps: CasDeps, session: CurrentSession, service: string, ip: string): Promise<boolean> {
  const platform = await platformForService(deps.db, service);
  if (!platform) return false;
  const scopes = releasedScopes(platform);
  await rememberConsent(deps.db, deps.clock, {
    accountId: session.accountId,
    clientId: platform.client_id,
    grantId: `cas:${platform.client_id}`,
    scopes: scopes.join(' '),
  });
  await recordAudit(deps.db, {
    action: 'sso.consented',
    actor: { kind: 'account', id: session.accountId },
    accountId: session.accountId,
    ip,
    detail: { clientId: platform.client_id, protocol: 'cas', scopes },
    at: deps.clock.now(),
  });
  return true;
}

/** `service` with one more query parameter, the rest of it (and any fragment) untouched. */
export function withParam(service: string, name: string, value: string): string {
  const hash = service.indexOf('#');
  const base = hash >= 0 ? service.slice(0, hash) : service;
  const fragment = hash >= 0 ? service.slice(hash) : '';
  return `${base}${base.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}${fragment}`;
}

async function issueServiceTicket(
  deps: CasDeps,
  input: { session: CurrentSession; platform: CasPlatform; service: string; fromNewLogin: boolean; ip: string },
): Promise<string> {
  await deps.limits.consume('casTicketsPerSession', input.session.id);
  const now = deps.clock.now();
  const ticket = newTicket('ST');
  await deps.db.transaction().execute(async (tx) => {
    const tgtHash = await ensureTgt(tx, deps, input.session, now);
    await q.insertTicket(tx, {
      ticket_hash: ticketHash(ticket),
      kind: 'ST',
      account_id: input.session.accountId,
      session_id: input.session.id,
      tgt_hash: tgtHash,
      client_id: input.platform.client_id,
      service: input.service,
      pgt_hash: null,
      from_new_login: input.fromNewLogin,
      authenticated_at: input.session.authenticatedAt,
      auth_methods: input.session.methods,
      created_at: now,
      expires_at: new Date(now.getTime() + deps.ticketTtlMs),
      validated_at: null,
      session_index: null,
    });
    await recordSignIn(tx, input.session.accountId, input.platform, now, { ip: input.ip });
  });
  return ticket;
}

/** A sign-in to a CAS platform, by a service or a proxy ticket: its use recorded (it hears of the account from now on) and audited. */
async function recordSignIn(tx: Executor, accountId: string, platform: CasPlatform, at: Date, how: { ip: string | null; proxiedBy?: string }): Promise<void> {
  await recordCasPlatformUse(tx, accountId, { clientId: platform.client_id, name: platform.name }, at);
  await recordAudit(tx, {
    action: 'sso.signed_in',
    actor: { kind: 'account', id: accountId },
    accountId,
    ip: how.ip,
    detail: { clientId: platform.client_id, protocol: 'cas', ...(how.proxiedBy ? { proxiedBy: how.proxiedBy } : {}) },
    at,
  });
}

async function ensureTgt(tx: Executor, deps: CasDeps, session: CurrentSession, now: Date): Promise<string> {
  return q.ensureTgt(tx, {
    ticket_hash: ticketHash(newTicket('TGT')),
    kind: 'TGT',
    account_id: session.accountId,
    session_id: session.id,
    tgt_hash: null,
    client_id: null,
    service: null,
    pgt_hash: null,
    authenticated_at: session.authenticatedAt,
    auth_methods: session.methods,
    created_at: now,
    expires_at: new Date(session.createdAt.getTime() + deps.sessionAbsoluteMs),
    validated_at: null,
    session_index: null,
  });
}

// ---------------------------------------------------------------------------------------------
// /cas/validate, /serviceValidate, /proxyValidate (and their /p3/ forms)

export interface ValidationRequest {
  ticket: string | undefined;
  service: string | undefined;
  renew: boolean;
  pgtUrl: string | undefined;
  /** /proxyValidate accepts proxy tickets; /serviceValidate and /validate do not (§2.5, §2.6). */
  acceptProxyTickets: boolean;
}

export async function validateTicket(deps: CasDeps, input: ValidationRequest): Promise<CasSuccess> {
  if (!input.ticket || !input.service) throw new CasFailure('INVALID_REQUEST', "'ticket' and 'service' parameters are both required");
  const kind = ticketKind(input.ticket);
  if (kind !== 'ST' && kind !== 'PT') throw new CasFailure('INVALID_TICKET', `Ticket ${shown(input.ticket)} not recognized`);
  const now = deps.clock.now();
  // The one attempt is spent first: a ticket presented at the wrong endpoint or for the wrong
  // service is gone too, so whoever learnt it cannot try again elsewhere (§3.1.1, §2.5.1).
  const row = await q.spendTicket(deps.db, ticketHash(input.ticket), now);
  if (!row) throw new CasFailure('INVALID_TICKET', `Ticket ${shown(input.ticket)} not recognized`);
  if (row.expires_at.getTime() <= now.getTime()) throw new CasFailure('INVALID_TICKET', `Ticket ${shown(input.ticket)} has expired`);
  if (row.kind === 'PT' && !input.acceptProxyTickets)
    throw new CasFailure('INVALID_TICKET_SPEC', `Ticket ${shown(input.ticket)} is a proxy ticket; validate it at /proxyValidate`);
  if (row.service !== input.service) throw new CasFailure('INVALID_SERVICE', `Ticket ${shown(input.ticket)} was not issued for this service`);
  // §2.5.3 counts this among INVALID_TICKET's reasons (as Apereo answers).
  if (input.renew && !row.from_new_login)
    throw new CasFailure('INVALID_TICKET', 'renew=true, but the ticket was issued from an existing single sign-on session');
  // A session that ended a moment ago, before the sweep reached its TGT, signs no one in.
  if (!(await sessionLive(deps, row.session_id))) throw new CasFailure('INVALID_TICKET', `Ticket ${shown(input.ticket)} not recognized`);
  const sub = await subjectOf(deps.db, row.account_id);
  const account = await accountOfSubject(deps.db, sub);
  if (!account || !usableAtPlatforms(account.state)) throw new CasFailure('INVALID_TICKET', `Ticket ${shown(input.ticket)} not recognized`);
  const platforms = await casPlatforms(deps.db);
  const platform = platforms.find((p) => p.client_id === row.client_id);
  if (!platform) throw new CasFailure('INVALID_SERVICE', 'the service is no longer registered');
  let pgtIou: string | undefined;
  if (input.pgtUrl) pgtIou = await grantProxyGrantingTicket(deps, { platform, pgtUrl: input.pgtUrl, ticket: row });
  // The session may have ended while this ran (the proxy callback can be slow): then the sweep has
  // taken the ticket with its TGT, and the platform must not open a session nobody will end.
  if (!(await q.setSessionIndex(deps.db, row.ticket_hash, input.ticket)))
    throw new CasFailure('INVALID_TICKET', `Ticket ${shown(input.ticket)} not recognized`);
  return { user: sub, attributes: await attributesFor(deps, platform, account, row), proxyGrantingTicketIou: pgtIou, proxies: row.proxies };
}

/** A ticket as error messages show it: our own shape whole, anything else cut short. */
const shown = (ticket: string) => (ticketKind(ticket) ? ticket : `${ticket.slice(0, 40).replace(/[^\x21-\x7e]/g, '?')}…`);

async function sessionLive(deps: Pick<CasDeps, 'db' | 'clock' | 'sessionIdleMs'>, sessionId: string): Promise<boolean> {
  const now = deps.clock.now();
  return q.sessionLive(deps.db, sessionId, now, new Date(now.getTime() - deps.sessionIdleMs));
}

type ValidatedTicket = NonNullable<Awaited<ReturnType<typeof q.spendTicket>>>;

/**
 * §2.5.4: the callback must be HTTPS (loopback http outside production), belong to the platform
 * that validates, and answer 200 to the GET carrying pgtId and pgtIou; otherwise the validation
 * still succeeds, without a PGT. A platform not allowed to proxy is refused outright.
 */
async function grantProxyGrantingTicket(deps: CasDeps, input: { platform: CasPlatform; pgtUrl: string; ticket: ValidatedTicket }): Promise<string | undefined> {
  if (!input.platform.cas_proxy) throw new CasFailure('UNAUTHORIZED_SERVICE_PROXY', 'the service is not allowed to ask for proxy tickets');
  const problem = serviceUrlProblem(input.pgtUrl, deps.allowLoopbackHttp);
  if (problem || !serviceMatches(input.platform.cas_services, input.pgtUrl))
    throw new CasFailure('INVALID_PROXY_CALLBACK', `the proxy callback ${input.pgtUrl.slice(0, 200)} is not one of the service's registered URLs`);
  const pgt = newTicket('PGT');
  const iou = newTicket('PGTIOU');
  const status = await deps.callProxyCallback(withParam(withParam(input.pgtUrl, 'pgtId', pgt), 'pgtIou', iou)).catch(() => 0);
  if (status !== 200) return undefined;
  const now = deps.clock.now();
  const tgt = input.ticket.tgt_hash ? await q.findTicket(deps.db, input.ticket.tgt_hash) : undefined;
  if (!tgt) return undefined; // the session ended meanwhile
  try {
    await q.insertTicket(deps.db, {
      ticket_hash: ticketHash(pgt),
      kind: 'PGT',
      account_id: input.ticket.account_id,
      session_id: input.ticket.session_id,
      tgt_hash: tgt.ticket_hash,
      client_id: input.platform.client_id,
      service: input.pgtUrl,
      pgt_hash: null,
      proxies: [input.pgtUrl, ...input.ticket.proxies],
      from_new_login: input.ticket.from_new_login,
      authenticated_at: input.ticket.authenticated_at,
      auth_methods: input.ticket.auth_methods,
      created_at: now,
      expires_at: tgt.expires_at,
      validated_at: null,
      session_index: null,
    });
  } catch (error) {
    // The session ended meanwhile and the sweep took its TGT: no PGT, as for a failed callback.
    if (isForeignKeyViolation(error)) return undefined;
    throw error;
  }
  return iou;
}

type PlatformAccount = NonNullable<Awaited<ReturnType<typeof accountOfSubject>>>;

/**
 * The attributes the platform may see (its scopes, as for OIDC claims; the person consented to
 * them at /cas/login), and CAS 3.0's three about the authentication itself.
 */
async function attributesFor(deps: CasDeps, platform: CasPlatform, account: PlatformAccount, ticket: ValidatedTicket): Promise<CasAttributes> {
  const scopes = new Set(platform.scopes);
  const attributes: CasAttributes = {
    // CAS 3.0's three, in the specification's order (its schema wants them first).
    authenticationDate: ticket.authenticated_at.toISOString(),
    longTermAuthenticationRequestTokenUsed: false, // Tongxing has no "remember me"
    isFromNewLogin: ticket.from_new_login,
    // How the person proved who they are, as Apereo CAS names it: the RFC 8176 values and the
    // assurance level, the same the OIDC ID token carries in amr and acr.
    authenticationMethod: amrOf(ticket.auth_methods),
    authnContextClass: acrOf(ticket.auth_methods),
  };
  if (scopes.has('profile') && account.name) attributes.name = account.name;
  if (scopes.has('phone') && account.phone) {
    attributes.phone_number = `+86${account.phone}`;
    attributes.phone_number_verified = Boolean(account.phone_verified_at);
  }
  if (scopes.has('email') && account.email) {
    attributes.email = account.email;
    attributes.email_verified = Boolean(account.email_verified_at);
  }
  if (scopes.has('realname')) {
    const status = realnameStatus(account);
    attributes.realname_status = status;
    attributes.realname_verified = status === 'verified';
  }
  if (scopes.has('idnumber') && account.id_type && (platform.id_number_access === 'masked' || platform.id_number_access === 'full')) {
    attributes.id_type = account.id_type;
    const full =
      platform.id_number_access === 'full' ? await revealIdNumber(deps.identity, account.id, { kind: 'system' }, `cas:${platform.client_id}`) : undefined;
    attributes.id_number = full ?? account.id_masked ?? '';
  }
  return attributes;
}

// ---------------------------------------------------------------------------------------------
// /cas/proxy

export async function issueProxyTicket(deps: CasDeps, input: { pgt: string | undefined; targetService: string | undefined }): Promise<string> {
  if (!input.pgt || !input.targetService) throw new CasFailure('INVALID_REQUEST', "'pgt' and 'targetService' parameters are both required");
  const now = deps.clock.now();
  const pgt = ticketKind(input.pgt) === 'PGT' ? await q.findTicket(deps.db, ticketHash(input.pgt)) : undefined;
  if (!pgt || pgt.kind !== 'PGT' || pgt.expires_at.getTime() <= now.getTime() || !(await sessionLive(deps, pgt.session_id)))
    throw new CasFailure('INVALID_TICKET', `Ticket ${shown(input.pgt)} not recognized`);
  const platforms = await casPlatforms(deps.db);
  const holder = platforms.find((p) => p.client_id === pgt.client_id);
  if (!holder?.cas_proxy) throw new CasFailure('UNAUTHORIZED_SERVICE_PROXY', 'the service is not allowed to ask for proxy tickets');
  const target = casPlatformOf(platforms, input.targetService);
  if (!target) throw new CasFailure('UNAUTHORIZED_SERVICE', 'the target service is not registered');
  // A proxy ticket signs the person in to the target as a login would: only where they could sign
  // in themselves — their account live, the target's real-name requirement met, their consent to
  // the target given (its attributes are released on validation) and their consent to the holder
  // not withdrawn since the PGT was issued.
  const sub = await subjectOf(deps.db, pgt.account_id);
  const account = await accountOfSubject(deps.db, sub);
  if (!account || !usableAtPlatforms(account.state)) throw new CasFailure('INVALID_TICKET', `Ticket ${shown(input.pgt)} not recognized`);
  if (!(await consentCovers(deps, sub, holder)))
    throw new CasFailure('INVALID_TICKET', `Ticket ${shown(input.pgt)} is no longer valid: the person withdrew their consent to the service`);
  if (target.requires_realname && realnameStatus(account) !== 'verified')
    throw new CasFailure('UNAUTHORIZED_SERVICE', 'the target service requires a verified real name, which this person does not have');
  if (!(await consentCovers(deps, sub, target))) throw new CasFailure('UNAUTHORIZED_SERVICE', 'the person has not consented to the target service');
  const ticket = newTicket('PT');
  // The ticket, the platform's use and the audit event together: a crash leaves none of them.
  await deps.db.transaction().execute(async (tx) => {
    await recordSignIn(tx, pgt.account_id, target, now, { ip: null, proxiedBy: holder.client_id });
    await q.insertTicket(tx, {
      ticket_hash: ticketHash(ticket),
      kind: 'PT',
      account_id: pgt.account_id,
      session_id: pgt.session_id,
      tgt_hash: pgt.tgt_hash,
      client_id: target.client_id,
      service: input.targetService,
      pgt_hash: pgt.ticket_hash,
      proxies: pgt.proxies,
      from_new_login: false,
      authenticated_at: pgt.authenticated_at,
      auth_methods: pgt.auth_methods,
      created_at: now,
      expires_at: new Date(now.getTime() + deps.ticketTtlMs),
      validated_at: null,
      session_index: null,
    });
  });
  return ticket;
}

// ---------------------------------------------------------------------------------------------
// Single logout (§2.3.3)

/** TGTs ended per transaction of a sweep. */
const SWEEP_BATCH = 100;

/**
 * Single logout follows the sessions table: a TGT whose Tongxing session has ended — signed out,
 * revoked from another device, ended by a password change or recovery, by a suspension or a
 * deregistration, or timed out — is ended here, and every service that validated a ticket under it
 * gets the LogoutRequest. Following the table rather than each way a session can end means a new
 * way cannot forget the platforms. The messages are outbox rows written in the transaction that
 * deletes the TGT, so none is lost to a crash and a platform that is down gets it again with
 * backoff (its delivery log shows each attempt). Rows are taken with SKIP LOCKED: every node may
 * sweep at once, and each TGT is ended by one of them. Runs every few seconds, and for the one
 * session a /cas/logout has just ended.
 */
export async function sweepEndedCasSessions(deps: Pick<CasDeps, 'db' | 'clock' | 'outbox' | 'sessionIdleMs'>, sessionId?: string): Promise<number> {
  let sent = 0;
  for (;;) {
    const now = deps.clock.now();
    const batch = await deps.db.transaction().execute(async (tx) => {
      const tgts = await q.lockEndedTgts(tx, now, new Date(now.getTime() - deps.sessionIdleMs), SWEEP_BATCH, sessionId);
      const hashes = tgts.map((t) => t.ticket_hash);
      for (const v of await q.validatedTicketsOf(tx, hashes)) {
        if (!v.client_id || !v.service || !v.session_index) continue;
        const body = logoutRequestXml(`LR-${randomToken(16)}`, now, v.session_index);
        await deps.outbox.enqueue(tx, { channel: 'cas_logout', recipient: v.service, body, platformId: v.client_id, subject: 'cas.logout' });
        sent++;
      }
      await q.deleteTgts(tx, hashes);
      return tgts.length;
    });
    if (batch < SWEEP_BATCH) break;
  }
  if (sent) deps.outbox.nudge();
  return sent;
}

/** Clean-up of tickets past their life (maintenance). */
export const deleteExpiredCasTickets = q.deleteExpiredTickets;

// The storage layer's contract, run on embedded PGlite and on the PostgreSQL server alike: the
// same queries must mean the same thing on both (locks, uniqueness, counters, claiming).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openTestDb, storageKinds } from '../helpers/db.ts';
import type { OpenedDb } from '../../src/db/client.ts';
import { ManualClock, DAY, MINUTE } from '../../src/lib/clock.ts';
import * as accounts from '../../src/accounts/queries.ts';
import { checkCode, issueCode, spendCode, issueLinkToken, checkLinkToken } from '../../src/verification/service.ts';
import { createSession, resolveSession, revokeOtherSessions } from '../../src/sessions/service.ts';
import { insertMessage, claimDue, markRetry, markSent, listRecent, renewClaim } from '../../src/notifications/queries.ts';
import { createRateLimits, defaultLimitPolicy } from '../../src/security/rate-limits.ts';
import { recordAudit, listAuditForAccount } from '../../src/audit/audit.ts';
import { RateLimitedError, AppError } from '../../src/lib/errors.ts';
import { migrationsApplied } from '../../src/db/migrate.ts';

for (const kind of storageKinds()) {
  describe(`storage contract on ${kind}`, () => {
    let opened: OpenedDb;
    const clock = new ManualClock(new Date('2026-03-01T08:00:00Z'));
    const key = randomBytes(32);
    before(async () => {
      opened = await openTestDb(kind);
    });
    after(() => opened.close());

    const newAccount = (phone: string | null, email: string | null = null) =>
      accounts.insertAccount(opened.db, {
        phone,
        email,
        phoneVerifiedAt: phone ? clock.now() : null,
        passwordHash: '$argon2id$placeholder',
        state: phone ? 'active' : 'pending_activation',
        registeredVia: phone ? 'phone' : 'email',
        now: clock.now(),
      });

    test('migrations are all applied', async () => {
      assert.equal(await migrationsApplied(opened.db), true);
    });

    test('a phone or an email belongs to one account only', async () => {
      await newAccount('13800000001');
      await assert.rejects(newAccount('13800000001'), (e: { code?: string }) => e.code === '23505');
      await newAccount(null, 'one@example.com');
      await assert.rejects(newAccount(null, 'one@example.com'), (e: { code?: string }) => e.code === '23505');
      const found = await accounts.findByPhone(opened.db, '13800000001');
      assert.equal(found?.state, 'active');
    });

    test('the record of used addresses keeps the first use', async () => {
      const a = await newAccount(null, 'used@example.com');
      await accounts.recordEmailUse(opened.db, 'used@example.com', a, clock.now());
      await accounts.recordEmailUse(opened.db, 'used@example.com', a, new Date(clock.now().getTime() + DAY));
      assert.equal(await accounts.emailHasBeenUsed(opened.db, 'used@example.com'), true);
      assert.equal(await accounts.emailHasBeenUsed(opened.db, 'never@example.com'), false);
    });

    test('codes: right once, wrong counted across transactions, a new code replaces the old', async () => {
      const deps = { codeKey: key, clock };
      const code = await issueCode(opened.db, deps, 'register_phone', '13800000002', DAY);
      await assert.rejects(
        checkCode(opened.db, deps, 'register_phone', '13800000002', code === '123456' ? '654321' : '123456'),
        (e: AppError) => e.code === 'code.wrong' && e.params.left === 4,
      );
      await assert.rejects(checkCode(opened.db, deps, 'register_phone', '13800000003', code), (e: AppError) => e.code === 'code.missing');
      const ticket = await checkCode(opened.db, deps, 'register_phone', '13800000002', code);
      await opened.db.transaction().execute((tx) => spendCode(tx, deps, ticket));
      await assert.rejects(
        opened.db.transaction().execute((tx) => spendCode(tx, deps, ticket)),
        (e: AppError) => e.code === 'code.missing',
      );

      const first = await issueCode(opened.db, deps, 'register_phone', '13800000004', DAY);
      const second = await issueCode(opened.db, deps, 'register_phone', '13800000004', DAY);
      if (first !== second) await assert.rejects(checkCode(opened.db, deps, 'register_phone', '13800000004', first));
      await checkCode(opened.db, deps, 'register_phone', '13800000004', second);
    });

    test('two concurrent spends of one checked code: exactly one wins', async () => {
      const deps = { codeKey: key, clock };
      const code = await issueCode(opened.db, deps, 'register_phone', '13800000005', DAY);
      const ticket = await checkCode(opened.db, deps, 'register_phone', '13800000005', code);
      const results = await Promise.allSettled([0, 1].map(() => opened.db.transaction().execute((tx) => spendCode(tx, deps, ticket))));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    });

    test('link tokens: valid, then expired after their lifetime', async () => {
      const deps = { codeKey: key, clock };
      const account = await newAccount(null, 'link@example.com');
      const token = await issueLinkToken(opened.db, deps, { purpose: 'activate', accountId: account, email: 'link@example.com', ttlMs: DAY });
      assert.equal((await checkLinkToken(opened.db, deps, 'activate', token)).status, 'valid');
      assert.equal((await checkLinkToken(opened.db, deps, 'confirm_email', token)).status, 'unknown', 'bound to its purpose');
      clock.advance(DAY);
      assert.equal((await checkLinkToken(opened.db, deps, 'activate', token)).status, 'expired');
    });

    test('sessions: found by token, idle and revoked ones are not', async () => {
      const account = await newAccount('13800000006');
      const deps = { db: opened.db, clock, sessionKey: key, idleMs: 30 * MINUTE, absoluteMs: 12 * 60 * MINUTE };
      const a = await createSession(opened.db, deps, { accountId: account, ip: '192.0.2.1', userAgent: 'ua', methods: ['password'] });
      const b = await createSession(opened.db, deps, { accountId: account, ip: '192.0.2.2', userAgent: 'ua', methods: ['password'] });
      assert.equal((await resolveSession(deps, a.token))?.accountId, account);
      assert.equal(await resolveSession(deps, a.token.slice(0, -1) + (a.token.endsWith('A') ? 'B' : 'A')), undefined);
      assert.equal(await revokeOtherSessions(opened.db, deps, account, a.id), 1);
      assert.equal(await resolveSession(deps, b.token), undefined);
      clock.advance(31 * MINUTE);
      assert.equal(await resolveSession(deps, a.token), undefined, 'idle timeout');
    });

    test('outbox: a message is claimed by one worker only, retried later, then sent', async () => {
      const id = await insertMessage(opened.db, { channel: 'sms', recipient: '13800000007', body: 'hello' }, clock.now());
      const claim = (token: string) => claimDue(opened.db, { now: clock.now(), lockMs: 60_000, limit: 10, token });
      const [one, two] = await Promise.all([claim('00000000-0000-4000-8000-000000000001'), claim('00000000-0000-4000-8000-000000000002')]);
      const holder = one!.some((m) => m.id === id) ? '00000000-0000-4000-8000-000000000001' : '00000000-0000-4000-8000-000000000002';
      const claimedIds = [...one!, ...two!].map((m) => m.id).filter((x) => x === id);
      assert.equal(claimedIds.length, 1, 'never claimed twice');
      await markRetry(opened.db, id, holder, new Date(clock.now().getTime() + 5_000), 'gateway down');
      assert.equal((await claim('00000000-0000-4000-8000-000000000003')).filter((m) => m.id === id).length, 0, 'not before its time');
      clock.advance(5_000);
      const again = (await claim('00000000-0000-4000-8000-000000000004')).find((m) => m.id === id);
      assert.equal(again?.attempts, 2);
      await markSent(opened.db, id, '00000000-0000-4000-8000-000000000004', clock.now(), false);
      const row = (await listRecent(opened.db, 50)).find((m) => m.id === id);
      assert.equal(row?.state, 'sent');
    });

    test('a message whose sender died mid-send is claimed again after its lock expires; the old claim can no longer mark it', async () => {
      const id = await insertMessage(opened.db, { channel: 'email', recipient: 'x@example.com', subject: 's', body: 'b' }, clock.now());
      const claim = (token: string) => claimDue(opened.db, { now: clock.now(), lockMs: 60_000, limit: 50, token });
      const first = '00000000-0000-4000-8000-000000000011';
      const second = '00000000-0000-4000-8000-000000000012';
      assert.ok((await claim(first)).some((m) => m.id === id));
      assert.ok(!(await claim(second)).some((m) => m.id === id));
      clock.advance(61_000);
      assert.ok((await claim(second)).some((m) => m.id === id));
      // The first claim, late: it may neither renew the lease (so it does not send) nor mark the row.
      assert.equal(await renewClaim(opened.db, id, first, new Date(clock.now().getTime() + 60_000)), false);
      await markSent(opened.db, id, first, clock.now(), false);
      assert.equal((await listRecent(opened.db, 50)).find((m) => m.id === id)?.state, 'sending');
      assert.equal(await renewClaim(opened.db, id, second, new Date(clock.now().getTime() + 60_000)), true);
    });

    test('rate limits count, refuse past the limit with the wait, and reset', async () => {
      const limits = createRateLimits({ kind: 'db', db: opened.db }, key, { ...defaultLimitPolicy, codeResendPerTarget: { points: 2, durationSeconds: 60 } });
      await limits.consume('codeResendPerTarget', 'phone:1');
      await limits.consume('codeResendPerTarget', 'phone:1');
      assert.equal(await limits.spent('codeResendPerTarget', 'phone:1'), 2);
      await assert.rejects(limits.consume('codeResendPerTarget', 'phone:1'), (e: RateLimitedError) => e.retryAfterSeconds > 0 && e.retryAfterSeconds <= 60);
      assert.ok((await limits.retryAfter('codeResendPerTarget', 'phone:1')) > 0);
      assert.equal(await limits.count('loginFailuresPerAccountIp', 'k'), 1);
      assert.equal(await limits.count('loginFailuresPerAccountIp', 'k'), 2);
      await limits.block('loginDelayPerAccountIp', 'k', 30);
      await assert.rejects(limits.assertAllowed('loginDelayPerAccountIp', 'k'), RateLimitedError);
      await limits.reset('codeResendPerTarget', 'phone:1');
      assert.equal(await limits.spent('codeResendPerTarget', 'phone:1'), 0);
      // Keys are keyed hashes: the store never holds the identifier.
      const keys = await opened.db.selectFrom('rate_limits').select('key').execute();
      assert.ok(keys.every((k) => !k.key.includes('phone')));
    });

    test('audit events are listed newest first per account', async () => {
      const account = await newAccount('13800000008');
      await recordAudit(opened.db, { action: 'account.registered', actor: { kind: 'system' }, accountId: account, at: clock.now() });
      clock.advance(1000);
      await recordAudit(opened.db, {
        action: 'session.started',
        actor: { kind: 'account', id: account },
        accountId: account,
        detail: { x: 1 },
        at: clock.now(),
      });
      const events = await listAuditForAccount(opened.db, account);
      assert.deepEqual(
        events.map((e) => e.action),
        ['session.started', 'account.registered'],
      );
      assert.deepEqual(events[0]!.detail, { x: 1 });
    });

    test('a failed transaction leaves nothing behind', async () => {
      await assert.rejects(
        opened.db.transaction().execute(async (tx) => {
          const id = await accounts.insertAccount(tx, {
            phone: '13800000009',
            email: null,
            phoneVerifiedAt: clock.now(),
            passwordHash: 'h',
            state: 'active',
            registeredVia: 'phone',
            now: clock.now(),
          });
          await recordAudit(tx, { action: 'account.registered', actor: { kind: 'account', id }, accountId: id, at: clock.now() });
          throw new Error('crash mid-way');
        }),
        /crash mid-way/,
      );
      assert.equal(await accounts.findByPhone(opened.db, '13800000009'), undefined);
    });
  });
}

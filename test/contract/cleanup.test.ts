import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openTestDb, storageKinds } from '../helpers/db.ts';
import { ManualClock, DAY, MINUTE } from '../../src/lib/clock.ts';
import { deleteExpired } from '../../src/maintenance/cleanup.ts';
import { insertStaff, insertStaffSession } from '../../src/admin/staff-queries.ts';
import { createCaptcha } from '../../src/captcha/service.ts';
import { issueCode } from '../../src/verification/service.ts';
import { createSession } from '../../src/sessions/service.ts';
import { insertAccount } from '../../src/accounts/queries.ts';
import { recordAudit } from '../../src/audit/audit.ts';
import { insertReset } from '../../src/recovery/queries.ts';

for (const kind of storageKinds()) {
  test(`clean-up removes what lapsed and keeps what is live and the audit trail (${kind})`, async () => {
    const opened = await openTestDb(kind);
    try {
      const clock = new ManualClock(new Date('2026-05-01T00:00:00Z'));
      const key = randomBytes(32);
      const db = opened.db;
      const account = await insertAccount(db, {
        phone: '13800009999',
        email: null,
        phoneVerifiedAt: clock.now(),
        passwordHash: 'h',
        state: 'active',
        registeredVia: 'phone',
        now: clock.now(),
      });
      await recordAudit(db, { action: 'account.registered', actor: { kind: 'system' }, accountId: account, at: clock.now() });
      await createCaptcha({ db, clock, codeKey: key, pow: { cost: 10, counterMax: 20, ttlMs: 5 * MINUTE } }, 'sign_in');
      await issueCode(db, { codeKey: key, clock }, 'register_phone', '13800009999', DAY);
      const sessionDeps = { db, clock, sessionKey: key, idleMs: 30 * MINUTE, absoluteMs: DAY };
      await createSession(db, sessionDeps, { accountId: account, ip: null, userAgent: null, methods: ['password'] });
      await insertReset(db, {
        accountId: null,
        credentialEpoch: 0,
        flowHash: randomBytes(32),
        linkHash: null,
        delivery: 'none',
        now: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 30 * MINUTE),
      });
      const staff = await insertStaff(db, {
        username: 'support.clean',
        displayName: 'support.clean',
        roles: ['support'],
        passwordHash: 'h',
        createdBy: 'operator',
        now: clock.now(),
      });
      await insertStaffSession(db, {
        tokenHash: randomBytes(32),
        staffId: staff,
        stage: 'full',
        now: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 8 * 60 * MINUTE),
        ip: null,
        userAgent: null,
      });

      clock.advance(10 * MINUTE);
      const early = await deleteExpired(db, clock);
      assert.deepEqual(early, {
        captchas: 1,
        codes: 0,
        linkTokens: 0,
        sessions: 0,
        staffSessions: 0,
        passwordResets: 0,
        rateLimits: 0,
        casTickets: 0,
        pendingSignIns: 0,
        passkeyChallenges: 0,
        dataExportsExpired: 0,
        dataExports: 0,
        unactivatedAccounts: 0,
        photoReviewsErased: 0,
        livenessSessionsErased: 0,
        supportRequestsRemoved: 0,
        enterpriseRequestsRemoved: 0,
        auditPartitionsDropped: 0,
        outboxPartitionsDropped: 0,
        outboxPartitionsKept: 0,
      });
      const live = await createSession(db, sessionDeps, { accountId: account, ip: null, userAgent: null, methods: ['password'] });

      clock.advance(31 * DAY);
      const late = await deleteExpired(db, clock);
      assert.equal(late.codes, 1);
      assert.equal(late.passwordResets, 1, 'a reset request goes 30 days after it lapsed');
      assert.equal(late.sessions, 1, 'only the session that ended over 30 days ago');
      assert.equal(late.staffSessions, 1, 'staff sessions lapse the same way');
      assert.ok(live.id);
      assert.equal((await db.selectFrom('audit_events').select('id').execute()).length, 1, 'the audit trail stays');
    } finally {
      await opened.close();
    }
  });
}

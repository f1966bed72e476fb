// Retention (issue 19 §4), on PGlite and PostgreSQL, through the clean-up the service runs every
// ten minutes: a registration never activated goes after UNACTIVATED_RETENTION_DAYS and not
// before, its address free again, while an activated one stays; decided evidence is erased after
// EVIDENCE_RETENTION_DAYS, its rows and erased_at kept; a support request filed without an account
// and an enterprise request no account was matched to go (with their images and letter) once
// settled longer than SUPPORT_REQUEST_RETENTION_DAYS / ENTERPRISE_REQUEST_RETENTION_DAYS; the audit trail and the outbox get monthly
// partitions ahead of time, lose whole months past their retention, keep the current month, and
// never lose a month that still holds a message not yet sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { openTestDb, storageKinds } from '../helpers/db.ts';
import { ManualClock, DAY } from '../../src/lib/clock.ts';
import { deleteExpired } from '../../src/maintenance/cleanup.ts';
import { insertAccount, recordEmailUse, emailHasBeenUsed, markEnterprise } from '../../src/accounts/queries.ts';
import { insertEnterprise } from '../../src/enterprise/queries.ts';
import { issueLinkToken } from '../../src/verification/service.ts';
import { recordAudit } from '../../src/audit/audit.ts';
import { insertMessage } from '../../src/notifications/queries.ts';
import { insertLivenessSession, insertPhotoFile, insertPhotoReview, finishLiveness } from '../../src/resolution/queries.ts';
import { decideCase } from '../../src/resolution/review-queries.ts';
import { DEFAULT_RETENTION } from '../../src/config.ts';
import { insertRequest as insertSupportRequest, insertMessage as insertSupportMessage, attachImage, setState } from '../../src/support/queries.ts';
import { insertRequest as insertEnterpriseRequest, insertLetterPages, closeRequest } from '../../src/enterprise/queries.ts';
import type { Db } from '../../src/db/client.ts';
import { getTestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { GPS_EXIF, SMALLEST_GIF, makeJpeg, makePng } from '../helpers/images.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

const retention = {
  ...DEFAULT_RETENTION,
  unactivatedMs: 30 * DAY,
  evidenceMs: 90 * DAY,
  auditMonths: 36,
  outboxMonths: 3,
  supportRequestMs: 180 * DAY,
  enterpriseRequestMs: 180 * DAY,
};
const quiet = { warn() {} };

async function partitionsOf(db: Db, table: string): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = ${sql.lit(table)}::regclass order by 1`.execute(db);
  return rows.rows.map((r) => r.name);
}

async function rowsIn(db: Db, partition: string): Promise<number> {
  const rows = await sql<{ n: string }>`select count(*) as n from ${sql.table(partition)}`.execute(db);
  return Number(rows.rows[0]!.n);
}

for (const kind of storageKinds()) {
  test(`a registration never activated is removed after its period, not before; an activated one stays (${kind})`, async () => {
    const opened = await openTestDb(kind);
    try {
      const db = opened.db;
      const clock = new ManualClock(new Date('2026-05-10T08:00:00Z'));
      const now = clock.now();
      const waiting = await insertAccount(db, {
        phone: null,
        email: 'lapsed@example.edu.cn',
        phoneVerifiedAt: null,
        passwordHash: 'h',
        state: 'pending_activation',
        registeredVia: 'email',
        now,
      });
      await recordEmailUse(db, 'lapsed@example.edu.cn', waiting, now);
      await issueLinkToken(db, { codeKey: randomBytes(32), clock }, { purpose: 'activate', accountId: waiting, email: 'lapsed@example.edu.cn', ttlMs: DAY });
      await recordAudit(db, { action: 'account.registered', actor: { kind: 'account', id: waiting }, accountId: waiting, ip: '203.0.113.9', at: now });
      const enterprise = await insertAccount(db, {
        phone: null,
        email: 'hr@lapsed-firm.example.com',
        phoneVerifiedAt: null,
        passwordHash: 'h',
        state: 'pending_activation',
        registeredVia: 'email',
        now,
      });
      await markEnterprise(db, enterprise);
      await insertEnterprise(db, { accountId: enterprise, name: '某某有限公司', creditCode: '91350100M000100Y43', contactName: '王经理', now });
      const active = await insertAccount(db, {
        phone: '13800001111',
        email: null,
        phoneVerifiedAt: now,
        passwordHash: 'h',
        state: 'active',
        registeredVia: 'phone',
        now,
      });

      clock.advance(29 * DAY);
      const early = await deleteExpired(db, clock, { retention, log: quiet });
      assert.equal(early.unactivatedAccounts, 0, 'not before the period');
      assert.ok(await db.selectFrom('accounts').select('id').where('id', '=', waiting).executeTakeFirst(), 'still waiting at 29 days');

      clock.advance(2 * DAY);
      const late = await deleteExpired(db, clock, { retention, log: quiet });
      assert.equal(late.unactivatedAccounts, 2);
      assert.equal(await db.selectFrom('accounts').select('id').where('id', '=', waiting).executeTakeFirst(), undefined, 'the registration is gone');
      assert.equal(
        await db.selectFrom('enterprises').select('account_id').where('account_id', '=', enterprise).executeTakeFirst(),
        undefined,
        'an enterprise sign-up goes with its details, its credit code free again',
      );
      assert.equal(await emailHasBeenUsed(db, 'lapsed@example.edu.cn'), false, 'its address is free for a new registration');
      assert.equal(
        (await db.selectFrom('link_tokens').select('id').where('account_id', '=', waiting).execute()).length,
        0,
        'its activation links went with it',
      );
      const again = await insertAccount(db, {
        phone: null,
        email: 'lapsed@example.edu.cn',
        phoneVerifiedAt: null,
        passwordHash: 'h',
        state: 'pending_activation',
        registeredVia: 'email',
        now: clock.now(),
      });
      assert.ok(again, 'the same address registers again');
      const kept = await db.selectFrom('accounts').select(['state']).where('id', '=', active).executeTakeFirstOrThrow();
      assert.equal(kept.state, 'active', 'an activated account is untouched');
      const removal = await db.selectFrom('audit_events').select(['actor_kind', 'detail']).where('action', '=', 'account.unactivated_removed').execute();
      assert.equal(removal.length, 2, 'each removal is in the audit trail');
      assert.equal(removal[0]!.actor_kind, 'system');
      const registered = await db
        .selectFrom('audit_events')
        .select('ip')
        .where('account_id', '=', waiting)
        .where('action', '=', 'account.registered')
        .executeTakeFirstOrThrow();
      assert.equal(registered.ip, null, 'its events stay for their month, without the address it registered from');
      assert.equal((await deleteExpired(db, clock, { retention, log: quiet })).unactivatedAccounts, 0, 'the new registration is not old enough');
    } finally {
      await opened.close();
    }
  });

  test(`ID photos and liveness results are erased a period after their case is decided (${kind})`, async () => {
    const opened = await openTestDb(kind);
    try {
      const db = opened.db;
      const clock = new ManualClock(new Date('2026-05-10T08:00:00Z'));
      const account = await insertAccount(db, {
        phone: '13800002222',
        email: null,
        phoneVerifiedAt: clock.now(),
        passwordHash: 'h',
        state: 'needs_verification',
        registeredVia: 'phone',
        now: clock.now(),
      });
      const decided = await insertPhotoReview(db, account, clock.now());
      for (const photo of ['handheld', 'front', 'back'] as const)
        await insertPhotoFile(db, { reviewId: decided, kind: photo, mediaType: 'image/png', byteSize: 3, keyId: 'dev', cipher: Buffer.from([1, 2, 3]) });
      const session = await insertLivenessSession(db, {
        accountId: account,
        tokenHash: randomBytes(32),
        provider: 'simulator',
        now: clock.now(),
        expiresAt: new Date(clock.now().getTime() + DAY),
      });
      await finishLiveness(db, session, 'failed', 'face_mismatch', clock.now());
      clock.advance(DAY);
      await decideCase(db, decided, { state: 'rejected', by: 'reviewer.li', at: clock.now(), reason: 'blurry' });
      const waiting = await insertPhotoReview(db, account, clock.now());
      await insertPhotoFile(db, { reviewId: waiting, kind: 'front', mediaType: 'image/png', byteSize: 3, keyId: 'dev', cipher: Buffer.from([4, 5, 6]) });

      clock.advance(89 * DAY);
      const early = await deleteExpired(db, clock, { retention, log: quiet });
      assert.equal(early.photoReviewsErased, 0, 'not before 90 days after the decision');
      assert.equal(early.livenessSessionsErased, 0, 'the liveness session finished 90 days ago to the minute: not yet');
      assert.ok((await db.selectFrom('photo_files').select('cipher').where('review_id', '=', decided).execute()).every((f) => f.cipher !== null));

      clock.advance(2 * DAY);
      const late = await deleteExpired(db, clock, { retention, log: quiet });
      assert.equal(late.photoReviewsErased, 1);
      assert.equal(late.livenessSessionsErased, 1);
      const files = await db.selectFrom('photo_files').select(['kind', 'cipher', 'erased_at', 'media_type']).where('review_id', '=', decided).execute();
      assert.equal(files.length, 3, 'the rows stay');
      assert.ok(
        files.every((f) => f.cipher === null && f.erased_at !== null),
        'the bytes are gone, erased_at says when',
      );
      const pending = await db.selectFrom('photo_files').select('cipher').where('review_id', '=', waiting).executeTakeFirstOrThrow();
      assert.deepEqual(Buffer.from(pending.cipher!), Buffer.from([4, 5, 6]), 'a case not decided keeps its photos');
      const review = await db.selectFrom('photo_reviews').select(['state', 'decided_by']).where('id', '=', decided).executeTakeFirstOrThrow();
      assert.deepEqual(review, { state: 'rejected', decided_by: 'reviewer.li' }, 'the decision itself is kept');
      const liveness = await db.selectFrom('liveness_sessions').select(['state', 'reason', 'erased_at']).where('id', '=', session).executeTakeFirstOrThrow();
      assert.equal(liveness.state, 'failed', 'the verdict stays');
      assert.equal(liveness.reason, null, "the provider's result is erased");
      assert.ok(liveness.erased_at);
      const events = await db.selectFrom('audit_events').select('detail').where('action', '=', 'resolution.evidence_erased').execute();
      assert.equal(events.length, 2, 'each erasure is audited');
      assert.equal((await deleteExpired(db, clock, { retention, log: quiet })).photoReviewsErased, 0, 'erased once');
    } finally {
      await opened.close();
    }
  });

  test(`requests from people without an account go a period after they are settled; open and account-bound ones stay (${kind})`, async () => {
    const opened = await openTestDb(kind);
    try {
      const db = opened.db;
      const clock = new ManualClock(new Date('2026-05-10T08:00:00Z'));
      const now = clock.now();
      const account = await insertAccount(db, {
        phone: '13800004444',
        email: null,
        phoneVerifiedAt: now,
        passwordHash: 'h',
        state: 'active',
        registeredVia: 'phone',
        now,
      });
      const support = async (reference: string, who: { accountId: string } | { contact: string }) => {
        const id = await insertSupportRequest(db, {
          reference,
          accountId: 'accountId' in who ? who.accountId : null,
          contactChannel: 'accountId' in who ? null : 'phone',
          contact: 'accountId' in who ? null : who.contact,
          category: 'cannot_sign_in',
          source: 'form',
          now: clock.now(),
        });
        const message = await insertSupportMessage(db, {
          requestId: id,
          author: 'person',
          staffUsername: null,
          body: '我的身份证照片见附件',
          now: clock.now(),
        });
        await attachImage(db, message, { type: 'image/jpeg', keyId: 'dev', cipher: Buffer.from([7, 7, 7]) });
        return id;
      };
      const closedAnonymous = await support('KF-CLOSED', { contact: '13900001111' });
      const answeredAnonymous = await support('KF-ANSWERED', { contact: '13900002222' });
      const openAnonymous = await support('KF-OPEN', { contact: '13900003333' });
      const closedOwn = await support('KF-OWN', { accountId: account });
      const enterprise = async (contactName: string, state: 'pending' | 'rejected' | 'username_sent', accountId: string | null) => {
        const id = randomBytes(16)
          .toString('hex')
          .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
        await insertEnterpriseRequest(db, {
          id,
          enterprise_name: '某某有限公司',
          credit_code: '91350100M000100Y43',
          contact_name: contactName,
          contact_phone: '13700001111',
          contact_email: 'hr@firm.example.com',
          wants: 'username',
          letter_media_type: 'application/pdf',
          letter_key_id: 'dev',
          letter_cipher: Buffer.from([1, 2, 3]),
          state: 'pending',
          submitted_at: clock.now(),
          ip: '203.0.113.50',
          claimed_by: null,
          claimed_at: null,
          handled_by: null,
          handled_at: null,
          account_id: null,
          outcome: null,
        });
        await insertLetterPages(db, [{ request_id: id, page_number: 1, key_id: 'dev', cipher: Buffer.from([9, 9]) }]);
        if (state !== 'pending') await closeRequest(db, id, { state, by: 'support.wu', at: clock.now(), outcome: 'done', ...(accountId ? { accountId } : {}) });
        return id;
      };
      clock.advance(DAY);
      await setState(db, closedAnonymous, { state: 'closed', now: clock.now(), closedBy: 'support.wu' });
      await setState(db, answeredAnonymous, { state: 'answered', now: clock.now() });
      await setState(db, closedOwn, { state: 'closed', now: clock.now(), closedBy: 'support.wu' });
      const rejected = await enterprise('张经理', 'rejected', null);
      const matched = await enterprise('李经理', 'username_sent', account);
      const pending = await enterprise('赵经理', 'pending', null);

      clock.advance(179 * DAY);
      const early = await deleteExpired(db, clock, { retention, log: quiet });
      assert.equal(early.supportRequestsRemoved, 0, 'not before 180 days after the request was settled');
      assert.equal(early.enterpriseRequestsRemoved, 0);
      assert.equal((await db.selectFrom('support_requests').select('id').execute()).length, 4);

      clock.advance(2 * DAY);
      const late = await deleteExpired(db, clock, { retention, log: quiet });
      assert.equal(late.supportRequestsRemoved, 2, 'the closed and the answered request of people without an account');
      assert.equal(late.enterpriseRequestsRemoved, 1, 'the rejected request no account was matched to');
      const supportLeft = await db.selectFrom('support_requests').select(['id', 'contact']).orderBy('reference').execute();
      assert.deepEqual(supportLeft.map((r) => r.id).sort(), [openAnonymous, closedOwn].sort(), 'an open request and an account-bound one stay');
      const messages = await db.selectFrom('support_messages').select(['request_id', 'image_cipher']).execute();
      assert.deepEqual(messages.map((m) => m.request_id).sort(), [openAnonymous, closedOwn].sort(), 'the words and images of the removed ones are gone');
      assert.ok(
        messages.every((m) => m.image_cipher !== null),
        'the others keep their images',
      );
      const enterpriseLeft = await db.selectFrom('enterprise_requests').select(['id', 'contact_name']).execute();
      assert.deepEqual(enterpriseLeft.map((r) => r.id).sort(), [matched, pending].sort(), 'a pending request and one matched to an account stay');
      assert.equal(
        (await db.selectFrom('enterprise_letter_pages').select('request_id').where('request_id', '=', rejected).execute()).length,
        0,
        "the rejected request's letter pages went with it",
      );
      const removals = await db
        .selectFrom('audit_events')
        .select(['action', 'detail'])
        .where('action', 'in', ['support.request_removed', 'enterprise.request_removed'])
        .execute();
      assert.deepEqual(
        removals.map((r) => `${r.action} ${(r.detail as { requestId: string }).requestId}`).sort(),
        [`support.request_removed ${closedAnonymous}`, `support.request_removed ${answeredAnonymous}`, `enterprise.request_removed ${rejected}`].sort(),
        'each removal is audited, naming the request',
      );
      assert.equal((await deleteExpired(db, clock, { retention, log: quiet })).supportRequestsRemoved, 0, 'removed once');
    } finally {
      await opened.close();
    }
  });

  test(`audit and outbox months: created ahead, dropped past retention, current and unsent kept (${kind})`, async () => {
    const opened = await openTestDb(kind);
    try {
      const db = opened.db;
      const clock = new ManualClock(new Date('2026-05-15T08:00:00Z'));
      // Rows of months that have no partition yet land in the default partition: inserts never fail.
      await recordAudit(db, { action: 'account.registered', actor: { kind: 'system' }, at: new Date('2023-01-20T00:00:00Z') });
      await recordAudit(db, { action: 'account.registered', actor: { kind: 'system' }, at: new Date('2023-06-20T00:00:00Z') });
      await recordAudit(db, { action: 'account.registered', actor: { kind: 'system' }, at: clock.now() });
      const sms = (body: string) => ({ channel: 'sms' as const, recipient: '13800003333', body });
      const oldSent = await insertMessage(db, sms('december'), new Date('2025-12-05T00:00:00Z'));
      const janSent = await insertMessage(db, sms('january, sent'), new Date('2026-01-05T00:00:00Z'));
      const janQueued = await insertMessage(db, sms('january, still queued'), new Date('2026-01-06T00:00:00Z'));
      const march = await insertMessage(db, sms('march'), new Date('2026-03-05T00:00:00Z'));
      await db.updateTable('outbox').set({ state: 'sent' }).where('id', 'in', [oldSent, janSent, march]).execute();
      assert.equal(await rowsIn(db, 'audit_events_default'), 3, 'no month of 2023 or May 2026 had a partition yet');

      const warnings: string[] = [];
      const first = await deleteExpired(db, clock, { retention, log: { warn: (_obj, msg) => warnings.push(msg) } });
      const audit = await partitionsOf(db, 'audit_events');
      for (const month of ['audit_events_y2026m05', 'audit_events_y2026m06', 'audit_events_y2026m07']) assert.ok(audit.includes(month), `${month} made ahead`);
      assert.ok(!audit.includes('audit_events_y2023m01'), 'January 2023 is past 36 months: dropped');
      assert.ok(audit.includes('audit_events_y2023m06'), 'June 2023 is within 36 months');
      assert.equal(first.auditPartitionsDropped, 1);
      assert.equal(await rowsIn(db, 'audit_events_default'), 0, 'rows moved out of the default partition into their month');
      assert.equal(await rowsIn(db, 'audit_events_y2026m05'), 1, "the current month's audit rows are intact");
      assert.equal((await db.selectFrom('audit_events').select('id').execute()).length, 2);

      const outbox = await partitionsOf(db, 'outbox');
      assert.ok(!outbox.includes('outbox_y2025m12'), 'December 2025 was all sent and is past 3 months: dropped');
      assert.ok(outbox.includes('outbox_y2026m01'), 'January 2026 still holds a queued message: kept');
      assert.ok(outbox.includes('outbox_y2026m03'), 'March 2026 is within 3 months');
      assert.ok(outbox.includes('outbox_default'), 'the default partition always stays');
      assert.equal(first.outboxPartitionsDropped, 1);
      assert.equal(first.outboxPartitionsKept, 1);
      assert.deepEqual(warnings, ['outbox months past their retention kept: they still hold messages not yet sent'], 'the refusal is logged');
      const left = await db.selectFrom('outbox').select('id').execute();
      assert.deepEqual(new Set(left.map((r) => r.id)), new Set([janSent, janQueued, march]), 'the queued message and its month are intact');

      // A new row still goes in (its partition exists), and the month goes once its last message is sent.
      await recordAudit(db, { action: 'account.registered', actor: { kind: 'system' }, at: clock.now() });
      assert.equal(await rowsIn(db, 'audit_events_y2026m05'), 2);
      await db.updateTable('outbox').set({ state: 'sent' }).where('id', '=', janQueued).execute();
      const second = await deleteExpired(db, clock, { retention, log: quiet });
      assert.equal(second.outboxPartitionsDropped, 1);
      assert.ok(!(await partitionsOf(db, 'outbox')).includes('outbox_y2026m01'));
      assert.deepEqual(
        (await db.selectFrom('outbox').select('id').execute()).map((r) => r.id),
        [march],
      );

      // Months roll on: a month later the next one ahead exists, nothing else changes.
      clock.advance(31 * DAY);
      const third = await deleteExpired(db, clock, { retention, log: quiet });
      assert.ok((await partitionsOf(db, 'audit_events')).includes('audit_events_y2026m08'));
      assert.equal(third.auditPartitionsDropped, 0, 'June 2023 is still within 36 months of June 2026');
    } finally {
      await opened.close();
    }
  });
}

for (const kind of storageKinds()) {
  test(`what a person and staff see: the address registers again, the console says the photos were deleted (${kind})`, async () => {
    const t = await getTestInstance({
      storage: kind,
      limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
    });
    try {
      const cleanUp = () => deleteExpired(t.db, t.clock, { retention: t.config.retention, log: quiet });
      const visitor = new Agent(t.app, { ip: '198.51.100.40' });
      const register = () =>
        visitor.submit('/register/email', { email: 'never.opened@example.edu.cn', password: 'plum blossom river' }, { from: '/register/email' });
      assert.match((await register()).text, /激活邮件已发送/);
      const link = /https?:\/\/[^/]+(\/activate\?token=\S+)/.exec((await t.latestMessageTo('never.opened@example.edu.cn'))!.text)![1]!;
      t.clock.advance(29 * DAY);
      await cleanUp();
      const waiting = await register();
      assert.equal(waiting.status, 409, 'at 29 days the registration still waits');
      assert.match(waiting.text, /该邮箱已经注册，正在等待激活/);
      t.clock.advance(2 * DAY);
      assert.equal((await cleanUp()).unactivatedAccounts, 1);
      assert.equal((await visitor.get(link)).status, 400, 'the old activation link is void');
      const fresh = await register();
      assert.equal(fresh.status, 200, 'after 30 days the address registers again');
      assert.match(fresh.text, /激活邮件已发送/);

      // 途径2: a claimant's photos, rejected by a reviewer; support reads the account card.
      const body = '51010719950505001';
      const idNumber = `${body}${mod11_2(body)}`;
      const realName = { idType: 'resident_id', name: '韩一', idNumber };
      await t.registerPhone({ password: 'photo retention password', fields: realName });
      const claimant = await t.registerPhone({ password: 'photo retention password', fields: { ...realName, reRegister: '1' } });
      await claimant.agent.get('/account/resolution/photo');
      const uploaded = await claimant.agent.submitMultipart(
        '/account/resolution/photo',
        { acknowledge: '1' },
        {
          handheld: { filename: 'me.png', contentType: 'image/png', data: makePng(4, 4, [['eXIf', GPS_EXIF]]) },
          front: { filename: 'front.jpg', contentType: 'image/jpeg', data: makeJpeg(true) },
          back: { filename: 'back.gif', contentType: 'image/gif', data: SMALLEST_GIF },
        },
      );
      assert.equal(uploaded.status, 200, uploaded.text);
      const reviewer = await signInStaff(t, await createStaff(t, 'reviewer.han', ['reviewer']));
      const queue = await reviewer.get('/console/reviews');
      const reviewId = /<tr data-review="([0-9a-f-]{36})">(?:(?!<\/tr>).)*韩一/s.exec(queue.body)![1]!;
      await reviewer.submit(`/console/reviews/${reviewId}/claim`, {});
      await reviewer.get(`/console/reviews/${reviewId}`);
      assert.equal((await reviewer.submit(`/console/reviews/${reviewId}/decision`, { decision: 'reject', reason: 'blurry' })).status, 303);

      const supportStaff = await createStaff(t, 'support.han', ['support']);
      const accountId = (await t.db.selectFrom('accounts').select('id').where('phone', '=', claimant.phone).executeTakeFirstOrThrow()).id;
      // Staff sessions last hours, the clock moves by months: support signs in for each look.
      const evidence = async () => {
        const support = await signInStaff(t, supportStaff, '192.0.2.61');
        const card = await support.get(`/console/accounts/${accountId}`);
        assert.equal(card.status, 200, card.text);
        return /<li data-photo-review="[^"]+">(.*?)<\/li>/s.exec(card.body)![1]!;
      };
      t.clock.advance(89 * DAY);
      await cleanUp();
      assert.match(await evidence(), /照片审核（未通过）.*照片保留中/s, 'within 90 days of the decision the photos are kept');
      t.clock.advance(2 * DAY);
      assert.equal((await cleanUp()).photoReviewsErased, 1);
      const shown = await evidence();
      assert.match(shown, /已删除（\d{4}年\d{1,2}月\d{1,2}日[^，]*，按保留期限、本人撤回或帐号注销后删除）/, 'the console says the photos went, and when');
      assert.doesNotMatch(shown, /照片保留中/);
      const files = await t.db.selectFrom('photo_files').select(['cipher', 'erased_at']).where('review_id', '=', reviewId).execute();
      assert.ok(files.length === 3 && files.every((f) => f.cipher === null && f.erased_at !== null));
    } finally {
      await t.close();
    }
  });
}

// Another connection holding the table is a PostgreSQL matter (PGlite has one connection).
if (storageKinds().includes('postgres'))
  test('a partition drop that cannot get its lock gives up, says so, and drops on the next round (postgres)', async () => {
    const opened = await openTestDb('postgres');
    const reader = new pg.Client({ connectionString: opened.url });
    try {
      const db = opened.db;
      const clock = new ManualClock(new Date('2026-05-15T08:00:00Z'));
      await recordAudit(db, { action: 'account.registered', actor: { kind: 'system' }, at: new Date('2022-03-01T00:00:00Z') });
      await deleteExpired(db, clock, { retention, log: quiet });
      await recordAudit(db, { action: 'account.registered', actor: { kind: 'system' }, at: new Date('2022-03-01T00:00:00Z') });
      await reader.connect();
      // A long report reading the audit trail holds it open.
      await reader.query('begin');
      await reader.query('select count(*) from audit_events');
      const warnings: string[] = [];
      const blocked = await deleteExpired(db, clock, { retention, log: { warn: (_obj, msg) => warnings.push(msg) } });
      assert.equal(blocked.auditPartitionsDropped, 0);
      assert.ok(
        warnings.some((w) => /waited too long for a table lock/.test(w)),
        'the wait is logged, the clean-up itself does not fail',
      );
      await reader.query('commit');
      const next = await deleteExpired(db, clock, { retention, log: quiet });
      assert.equal(next.auditPartitionsDropped, 1);
      assert.ok(!(await partitionsOf(db, 'audit_events')).includes('audit_events_y2022m03'));
    } finally {
      await reader.end().catch(() => {});
      await opened.close();
    }
  });

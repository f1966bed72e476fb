// After DEREGISTERED_RETENTION_DAYS a deregistered account's personal information is erased
// (leaving/erasure.ts), each owner erasing its part: every kind of data the person left is made,
// the erasure runs, and the rows no longer hold the personal values while another person's stay
// whole. The ID number's blind index is gone from every row that held it, yet the number
// registers anew. An account party to an open dispute or 途径3 notice period waits, and so does
// its evidence under EVIDENCE_RETENTION_DAYS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { storageKinds, type StorageKind } from '../helpers/db.ts';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';
import { claimNumber } from '../../src/identity/claims.ts';
import { completeDueDeregistrations } from '../../src/leaving/completion.ts';
import { eraseDueAccounts } from '../../src/leaving/erasure.ts';
import { eraseDecidedEvidence } from '../../src/resolution/evidence-retention.ts';
import {
  finishLiveness,
  insertLivenessSession,
  insertPhotoFile,
  insertPhotoReview,
  insertRecordCheck,
  insertResolution,
} from '../../src/resolution/queries.ts';
import { decideCase } from '../../src/resolution/review-queries.ts';
import { cancelOpenHolds, insertHold } from '../../src/resolution/hold-queries.ts';
import { decideDispute, insertDispute } from '../../src/resolution/dispute-queries.ts';
import { insertBinding } from '../../src/social/queries.ts';
import { insertPasskey } from '../../src/passkeys/queries.ts';
import { enableTotp, putPendingTotp, replaceRecoveryCodes } from '../../src/mfa/queries.ts';
import { attachImage, insertMessage, insertRequest } from '../../src/support/queries.ts';
import { recordAudit } from '../../src/audit/audit.ts';
import { insertEnterprise, insertRequest as insertEnterpriseRequest } from '../../src/enterprise/queries.ts';
import { CLASSMATE_BINDING, classmateBindingKind } from '../../src/contacts/classmate-binding.ts';
import { CLASSMATE_VOUCH } from '../../src/resolution/classmate-path.ts';
import { translator } from '../../src/i18n/index.ts';
import { DAY } from '../../src/lib/clock.ts';

let t: TestInstance;
const PASSWORD = 'erasure test password';
const id = (seq: number) => {
  const body = `32010619880303${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

/** Each test on each storage this run has (PostgreSQL too under REQUIRE_POSTGRES), on its own instance. */
function eachStorage(name: string, body: () => Promise<void>) {
  for (const storage of storageKinds())
    test(`${name} (${storage})`, async () => {
      t = await instance(storage);
      try {
        await body();
      } finally {
        await t.close();
      }
    });
}

const instance = (storage: StorageKind) =>
  getTestInstance({ storage, limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });

const register = (name: string, idNumber: string) =>
  t.registerPhone({
    password: PASSWORD,
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1',
    fields: { idType: 'resident_id', name, idNumber },
  });

async function indexOf(accountId: string): Promise<Buffer> {
  const row = await t.db.selectFrom('identities').select('id_index').where('account_id', '=', accountId).executeTakeFirstOrThrow();
  return Buffer.from(row.id_index);
}

/** Signs in afresh, asks to leave and lets the cooling-off end: the account is deregistered. */
async function deregister(phone: string): Promise<void> {
  const { agent } = await t.signIn(phone, PASSWORD);
  const asked = await agent.submit('/account/deregister', { acknowledge: '1' }, { from: '/account/deregister' });
  assert.equal(asked.status, 200, asked.text);
  t.clock.advance(15 * DAY + 1);
  assert.ok((await completeDueDeregistrations(t.services.leaving)) >= 1);
}

/** Everything a person leaves behind, in each owner's table, written by the owner's own queries. */
async function leaveTraces(accountId: string, other: string, words: { name: string; subject: string; passkey: string; phone: string }) {
  const db = t.db;
  const now = t.clock.now();
  const index = await indexOf(accountId);
  await insertBinding(db, { accountId, provider: 'wechat', subject: words.subject, displayName: `${words.name}的微信`, at: now });
  await insertPasskey(db, {
    accountId,
    credentialId: randomBytes(16).toString('base64url'),
    publicKey: randomBytes(64),
    counter: 0,
    transports: ['internal'],
    deviceType: 'multiDevice',
    backedUp: true,
    aaguid: '00000000-0000-0000-0000-000000000000',
    name: words.passkey,
    now,
  });
  await recordAudit(db, {
    action: 'passkey.added',
    actor: { kind: 'account', id: accountId },
    accountId,
    detail: { passkeyId: 'x', name: words.passkey, device: 'iPhone · Safari' },
    at: now,
  });
  await recordAudit(db, {
    action: 'account.email_changed',
    actor: { kind: 'account', id: accountId },
    accountId,
    detail: { from: 'q***@old-mail.example.com', to: 'q***@new-mail.example.com' },
    at: now,
  });
  // Support sent a reset link to an address the person gave: masked, and a keyed hash of it.
  await recordAudit(db, {
    action: 'recovery.reset_started_by_staff',
    actor: { kind: 'staff', id: 'support.wang' },
    accountId,
    detail: { sentTo: 'q***@given-mail.example.com', sentToHash: 'f0e1d2c3b4a5968778695a4b3c2d1e0f' },
    at: now,
  });
  await putPendingTotp(db, accountId, { keyId: 'dev', data: randomBytes(40) }, now);
  await enableTotp(db, accountId, 1, now);
  await replaceRecoveryCodes(db, accountId, [randomBytes(32), randomBytes(32)], now);
  const request = await insertRequest(db, {
    reference: `R${randomBytes(4).toString('hex')}`,
    accountId,
    contactChannel: 'phone',
    contact: null,
    category: 'account',
    source: 'form',
    now,
  });
  const message = await insertMessage(db, { requestId: request, author: 'person', staffUsername: null, body: `我是${words.name}，手机${words.phone}`, now });
  await attachImage(db, message, { type: 'image/png', keyId: 'dev', cipher: randomBytes(30) });
  await insertMessage(db, { requestId: request, author: 'staff', staffUsername: 'support.wang', body: `${words.name}您好`, now });
  const sendToOther = (kind: string, payload: Record<string, string>) =>
    t.db.transaction().execute((tx) => t.services.inbox.send(tx, { recipientId: other, senderId: accountId, kind, payload, ttlMs: 7 * DAY }));
  await sendToOther(CLASSMATE_BINDING, { requesterName: words.name, ownPhoneMasked: '138****0000' });
  // A 途径3 vouch request describes the sender's studies too.
  await sendToOther(CLASSMATE_VOUCH, { requesterName: words.name, school: '南京大学', years: '2006–2010', contact: '138****0000' });
  // As an enterprise account would have: its contact person, and a look-up request settled for it.
  const creditCode = `91350100M${randomBytes(4).toString('hex').toUpperCase()}X`;
  await insertEnterprise(db, { accountId, name: `${words.name}科技有限公司`, creditCode, contactName: words.name, now });
  await insertEnterpriseRequest(db, {
    enterprise_name: `${words.name}科技有限公司`,
    credit_code: creditCode,
    contact_name: words.name,
    contact_phone: words.phone,
    contact_email: null,
    wants: 'username',
    letter_media_type: 'image/png',
    letter_key_id: 'dev',
    letter_cipher: randomBytes(20),
    state: 'username_sent',
    submitted_at: now,
    ip: '198.51.100.7',
    claimed_by: null,
    claimed_at: null,
    handled_by: 'support.wang',
    handled_at: now,
    account_id: accountId,
    outcome: null,
  });
  await insertRecordCheck(db, { index, accountId, matched: false, at: now });
  await insertResolution(db, { index, claimantId: accountId, path: 'records', deregistered: [], at: now });
  await insertHold(db, { index, claimantId: accountId, at: now, takesEffectAt: now });
  await cancelOpenHolds(db, index, now);
  const pending = await insertLivenessSession(db, {
    accountId,
    tokenHash: randomBytes(32),
    provider: 'simulator',
    now,
    expiresAt: new Date(now.getTime() + DAY),
  });
  const done = await insertLivenessSession(db, { accountId, tokenHash: randomBytes(32), provider: 'simulator', now, expiresAt: new Date(now.getTime() + DAY) });
  await finishLiveness(db, done, 'failed', 'face_mismatch', now);
  const review = await insertPhotoReview(db, accountId, now);
  await insertPhotoFile(db, { reviewId: review, kind: 'front', mediaType: 'image/png', byteSize: 3, keyId: 'dev', cipher: Buffer.from([1, 2, 3]) });
  return { index, request, pending, done };
}

eachStorage('erasure leaves no personal value in any owner table, frees the number for good, and spares another person', async () => {
  const leaver = await register('沈清', id(1));
  const other = await register('顾远', id(2));
  const leaverIndex = await indexOf(leaver.accountId);
  await deregister(leaver.phone);
  const leaverTraces = await leaveTraces(leaver.accountId, other.accountId, {
    name: '沈清',
    subject: 'wx-shenqing',
    passkey: '沈清的 iPhone',
    phone: leaver.phone,
  });
  const otherTraces = await leaveTraces(other.accountId, leaver.accountId, { name: '顾远', subject: 'wx-guyuan', passkey: '顾远的 iPad', phone: other.phone });
  // A dispute the person filed and support dismissed (a closed case does not hold the erasure).
  const dispute = await insertDispute(t.db, {
    accountId: leaver.accountId,
    resolutionId: null,
    whatHappened: '我是沈清，我没有申请注销',
    channel: 'phone',
    contact: '13900009999',
    ip: '203.0.113.9',
    at: t.clock.now(),
  });
  await decideDispute(t.db, dispute, 'dismissed', 'support.wang', '本人申请', t.clock.now());
  // An account deregistered without its number being settled still names it in the claim.
  await t.db.transaction().execute((tx) => claimNumber(tx, leaverIndex, leaver.accountId, t.clock.now()));
  const hadDevice = await t.db.selectFrom('audit_events').select('detail').where('account_id', '=', leaver.accountId).execute();
  assert.ok(
    hadDevice.some((e) => JSON.stringify(e.detail).includes('"device"')),
    'sign-ins recorded the device',
  );

  t.clock.advance(181 * DAY);
  assert.ok((await eraseDueAccounts(t.services.leaving)) >= 1);

  const { accountId } = leaver;
  // The blind index is nowhere any more: not in identities, claims, resolutions, holds, 途径4 tries.
  for (const table of ['identities', 'id_claims', 'resolutions', 'resolution_holds', 'record_checks'] as const) {
    const rows = await t.db.selectFrom(table).select('id_index').where('id_index', '=', leaverIndex).execute();
    assert.equal(rows.length, 0, `${table} still holds the number's index`);
  }
  const replaced = await indexOf(accountId);
  const resolution = await t.db.selectFrom('resolutions').select('id_index').where('claimant_account_id', '=', accountId).executeTakeFirstOrThrow();
  assert.ok(Buffer.from(resolution.id_index).equals(replaced), 'the resolution still matches the erased identity');
  // Bindings, passkeys, second factor: gone.
  for (const table of ['social_bindings', 'passkeys', 'person_totps', 'person_recovery_codes'] as const) {
    const rows = await t.db.selectFrom(table).select('account_id').where('account_id', '=', accountId).execute();
    assert.equal(rows.length, 0, `${table} kept the account's rows`);
  }
  // Support: the request stays, its words and images do not.
  const messages = await t.db
    .selectFrom('support_messages')
    .select(['body', 'image_cipher', 'image_type'])
    .where('request_id', '=', leaverTraces.request)
    .execute();
  assert.equal(messages.length, 2);
  assert.ok(messages.every((m) => m.body === '' && m.image_cipher === null && m.image_type === null));
  const request = await t.db
    .selectFrom('support_requests')
    .select(['contact', 'contact_channel', 'state'])
    .where('id', '=', leaverTraces.request)
    .executeTakeFirstOrThrow();
  assert.deepEqual(request, { contact: null, contact_channel: null, state: 'open' });
  // The enterprise keeps its name and code; the contact person and the request's contacts go.
  const enterprise = await t.db.selectFrom('enterprises').select(['name', 'contact_name']).where('account_id', '=', accountId).executeTakeFirstOrThrow();
  assert.deepEqual(enterprise, { name: '沈清科技有限公司', contact_name: '' });
  const lookUp = await t.db
    .selectFrom('enterprise_requests')
    .select(['contact_name', 'contact_phone', 'ip', 'state'])
    .where('account_id', '=', accountId)
    .executeTakeFirstOrThrow();
  assert.deepEqual(lookUp, { contact_name: '', contact_phone: null, ip: null, state: 'username_sent' });
  // The dispute keeps its decision, not the person's words, contact or address.
  const disputed = await t.db.selectFrom('deregistration_disputes').selectAll().where('id', '=', dispute).executeTakeFirstOrThrow();
  assert.deepEqual([disputed.what_happened, disputed.contact, disputed.ip, disputed.state], ['', '', null, 'dismissed']);
  // The request sent to the other person no longer names the sender.
  const sent = await t.db.selectFrom('inbox_items').select(['kind', 'payload']).where('sender_account_id', '=', accountId).orderBy('kind').execute();
  assert.deepEqual(
    sent.map((i) => i.payload),
    [
      { requesterName: '', ownPhoneMasked: '' },
      { requesterName: '', school: '', years: '', contact: '' },
    ],
  );
  // What the other person reads of it now: no name, no number, nothing left unfilled.
  const item = (await t.services.inbox.list(other.accountId)).find((i) => i.sender_account_id === accountId)!;
  const shown = translator('zh-CN')(classmateBindingKind(t.clock).describe(item).key, classmateBindingKind(t.clock).describe(item).params);
  assert.match(shown, /请求您协助完成实名信息绑定/);
  assert.ok(!/沈清|undefined|\{/.test(shown), shown);
  // Liveness: pending and finished, the provider's words gone, verdicts kept; photos gone.
  const liveness = await t.db.selectFrom('liveness_sessions').select(['id', 'state', 'reason', 'erased_at']).where('account_id', '=', accountId).execute();
  assert.equal(liveness.length, 2);
  assert.ok(liveness.every((s) => s.reason === null && s.erased_at !== null));
  assert.equal(liveness.find((s) => s.id === leaverTraces.done)!.state, 'failed');
  const photos = await t.db
    .selectFrom('photo_files')
    .innerJoin('photo_reviews', 'photo_reviews.id', 'photo_files.review_id')
    .select(['kind', 'cipher', 'erased_at'])
    .where('photo_reviews.account_id', '=', accountId)
    .execute();
  assert.ok(photos.length > 0 && photos.every((p) => p.cipher === null && p.erased_at !== null), 'the photos erased, the rows saying so');
  // The audit trail: no device, no passkey name, no address.
  const audit = await t.db.selectFrom('audit_events').select(['action', 'detail', 'ip']).where('account_id', '=', accountId).execute();
  const text = JSON.stringify(audit);
  assert.ok(!text.includes('"device"') && !text.includes('沈清') && !text.includes('iPhone') && !text.includes('mail.example.com'), text);
  assert.ok(!text.includes('sentToHash') && audit.some((e) => e.action === 'recovery.reset_started_by_staff'), text);
  assert.ok(audit.some((e) => e.action === 'passkey.added') && audit.some((e) => e.action === 'account.email_changed'), 'the events themselves stay');
  assert.ok(audit.every((e) => e.ip === null));
  // Consents: what was agreed and when stays as proof; the address it came from goes.
  const consents = await t.db.selectFrom('consent_records').select(['document', 'ip']).where('account_id', '=', accountId).execute();
  assert.ok(consents.some((c) => c.document === 'terms') && consents.some((c) => c.document === 'sensitive:id_number'));
  assert.ok(consents.every((c) => c.ip === null));

  // The other person's data is whole.
  const o = other.accountId;
  assert.ok((await t.db.selectFrom('consent_records').select('ip').where('account_id', '=', o).execute()).every((c) => c.ip !== null));
  assert.ok(
    Buffer.from((await t.db.selectFrom('record_checks').select('id_index').where('account_id', '=', o).executeTakeFirstOrThrow()).id_index).equals(
      otherTraces.index,
    ),
  );
  assert.equal((await t.db.selectFrom('social_bindings').select('subject').where('account_id', '=', o).executeTakeFirstOrThrow()).subject, 'wx-guyuan');
  assert.equal((await t.db.selectFrom('passkeys').select('name').where('account_id', '=', o).executeTakeFirstOrThrow()).name, '顾远的 iPad');
  assert.equal((await t.db.selectFrom('person_totps').select('account_id').where('account_id', '=', o).execute()).length, 1);
  const theirs = await t.db.selectFrom('support_messages').select('body').where('request_id', '=', otherTraces.request).orderBy('created_at').execute();
  assert.ok(theirs.some((m) => m.body.includes('顾远')));
  const theirItem = await t.db.selectFrom('inbox_items').select('payload').where('sender_account_id', '=', o).executeTakeFirstOrThrow();
  assert.deepEqual(theirItem.payload, { requesterName: '顾远', ownPhoneMasked: '138****0000' });
  const theirLiveness = await t.db.selectFrom('liveness_sessions').select('reason').where('id', '=', otherTraces.done).executeTakeFirstOrThrow();
  assert.equal(theirLiveness.reason, 'face_mismatch');
  const theirAudit = JSON.stringify(await t.db.selectFrom('audit_events').select('detail').where('account_id', '=', o).execute());
  assert.ok(theirAudit.includes('顾远的 iPad') && theirAudit.includes('"device"') && theirAudit.includes('new-mail.example.com'));
  assert.equal((await t.db.selectFrom('identities').select('name').where('account_id', '=', o).executeTakeFirstOrThrow()).name, '顾远');
  assert.equal((await t.db.selectFrom('enterprises').select('contact_name').where('account_id', '=', o).executeTakeFirstOrThrow()).contact_name, '顾远');
  assert.equal(
    (await t.db.selectFrom('enterprise_requests').select('contact_phone').where('account_id', '=', o).executeTakeFirstOrThrow()).contact_phone,
    other.phone,
  );

  // The number is free: a newcomer registers it and owns it, with no duplicate-ID case.
  const newcomer = await register('沈清', id(1));
  const claim = await t.db.selectFrom('id_claims').select(['state', 'owner_account_id']).where('id_index', '=', leaverIndex).executeTakeFirstOrThrow();
  assert.deepEqual(claim, { state: 'registered', owner_account_id: newcomer.accountId });
  assert.equal((await t.db.selectFrom('accounts').select('state').where('id', '=', newcomer.accountId).executeTakeFirstOrThrow()).state, 'active');
  assert.equal(await eraseDueAccounts(t.services.leaving), 0, 'once');
});

eachStorage('an open dispute or 途径3 notice period holds the erasure and the evidence until it closes', async () => {
  const disputing = await register('陆鸣', id(3));
  const claimant = await register('韩露', id(4));
  for (const person of [disputing, claimant]) {
    const review = await insertPhotoReview(t.db, person.accountId, t.clock.now());
    await insertPhotoFile(t.db, { reviewId: review, kind: 'front', mediaType: 'image/png', byteSize: 3, keyId: 'dev', cipher: Buffer.from([7, 8, 9]) });
    await decideCase(t.db, review, { state: 'rejected', by: 'reviewer.li', at: t.clock.now(), reason: 'blurry' });
  }
  await deregister(disputing.phone);
  const dispute = await insertDispute(t.db, {
    accountId: disputing.accountId,
    resolutionId: null,
    whatHappened: '不是我本人申请的',
    channel: 'phone',
    contact: '13900008888',
    ip: null,
    at: t.clock.now(),
  });
  // A notice period still open when its claimant was deregistered (one it waits for cannot start
  // leaving itself: self-deregistration.test.ts).
  await deregister(claimant.phone);
  const hold = await insertHold(t.db, {
    index: await indexOf(claimant.accountId),
    claimantId: claimant.accountId,
    at: t.clock.now(),
    takesEffectAt: t.clock.now(),
  });

  t.clock.advance(400 * DAY);
  const photosOf = async (accountId: string) =>
    (
      await t.db
        .selectFrom('photo_files')
        .innerJoin('photo_reviews', 'photo_reviews.id', 'photo_files.review_id')
        .select('cipher')
        .where('photo_reviews.account_id', '=', accountId)
        .execute()
    ).filter((p) => p.cipher !== null).length;
  await eraseDecidedEvidence(t.db, t.clock.now(), 90 * DAY);
  await eraseDueAccounts(t.services.leaving);
  for (const person of [disputing, claimant]) {
    const row = await t.db.selectFrom('accounts').select('personal_data_erased_at').where('id', '=', person.accountId).executeTakeFirstOrThrow();
    assert.equal(row.personal_data_erased_at, null, 'not erased while the case is open');
    assert.equal(await photosOf(person.accountId), 1, 'evidence kept while the case is open');
  }
  assert.equal((await t.db.selectFrom('identities').select('name').where('account_id', '=', disputing.accountId).executeTakeFirstOrThrow()).name, '陆鸣');

  await decideDispute(t.db, dispute, 'dismissed', 'support.wang', '核实为本人申请', t.clock.now());
  await cancelOpenHolds(t.db, await indexOf(claimant.accountId), t.clock.now());
  assert.ok(hold);
  await eraseDecidedEvidence(t.db, t.clock.now(), 90 * DAY);
  assert.equal(await photosOf(disputing.accountId), 0, 'the evidence goes once the case is closed');
  assert.equal(await eraseDueAccounts(t.services.leaving), 2);
  for (const person of [disputing, claimant]) {
    const row = await t.db.selectFrom('identities').select(['name', 'id_masked']).where('account_id', '=', person.accountId).executeTakeFirstOrThrow();
    assert.deepEqual(row, { name: '', id_masked: '' });
  }
});

// The worker against a real (PGlite) outbox and channels that fail on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDb } from '../helpers/db.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createOutboxWorker, backoffMs, MAX_ATTEMPTS } from '../../src/notifications/worker.ts';
import { insertMessage } from '../../src/notifications/queries.ts';
import { SmsSendError } from '../../src/notifications/sms/sender.ts';
import type { Channels, OutgoingMessage } from '../../src/notifications/channels.ts';

const quietLog = { warn() {}, error() {} };

test('backoff doubles from 5 s and stops at one hour', () => {
  assert.deepEqual([1, 2, 3, 4].map(backoffMs), [5_000, 10_000, 20_000, 40_000]);
  assert.equal(backoffMs(20), 3_600_000);
});

test('a failing channel is retried with backoff, then the message is sent', async () => {
  const opened = await openTestDb();
  const clock = new ManualClock();
  let failures = 2;
  const delivered: OutgoingMessage[] = [];
  const channels: Channels = {
    async send(m) {
      if (failures-- > 0) throw new Error('connection refused');
      delivered.push(m);
    },
    close() {},
  };
  const worker = createOutboxWorker({ db: opened.db, clock, channels, pollMs: 1000, scrubSentBodies: true, log: quietLog });
  const id = await insertMessage(opened.db, { channel: 'email', recipient: 'a@example.com', subject: 'hi', body: 'code 123456' }, clock.now());
  await worker.runOnce();
  let row = await opened.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.state, 'queued');
  assert.equal(row.last_error, 'connection refused');
  assert.equal(row.next_attempt_at.getTime(), clock.now().getTime() + 5_000);
  await worker.runOnce();
  assert.equal(delivered.length, 0, 'not retried before its time');
  clock.advance(5_000);
  await worker.runOnce();
  clock.advance(10_000);
  await worker.runOnce();
  assert.equal(delivered.length, 1);
  row = await opened.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.state, 'sent');
  assert.equal(row.attempts, 3);
  assert.equal(row.body, '[sent]', 'in production the code does not outlive its delivery');
  await opened.close();
});

test('a permanent SMS error fails at once; a lasting outage fails after the last attempt', async () => {
  const opened = await openTestDb();
  const clock = new ManualClock();
  const channels: Channels = {
    async send(m) {
      throw m.recipient === '13800000000' ? new SmsSendError('isv.MOBILE_NUMBER_ILLEGAL', false) : new Error('timeout');
    },
    close() {},
  };
  const worker = createOutboxWorker({ db: opened.db, clock, channels, pollMs: 1000, scrubSentBodies: false, log: quietLog });
  const bad = await insertMessage(opened.db, { channel: 'sms', recipient: '13800000000', body: 'x' }, clock.now());
  const down = await insertMessage(opened.db, { channel: 'email', recipient: 'b@example.com', body: 'x' }, clock.now());
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    await worker.runOnce();
    clock.advance(3_600_000);
  }
  const rows = await opened.db.selectFrom('outbox').select(['id', 'state', 'attempts']).execute();
  assert.deepEqual(
    rows.find((r) => r.id === bad),
    { id: bad, state: 'failed', attempts: 1 },
  );
  assert.deepEqual(
    rows.find((r) => r.id === down),
    { id: down, state: 'failed', attempts: MAX_ATTEMPTS },
  );
  await opened.close();
});

test('in production a message given up for good keeps no text: the error and recipient stay for support', async () => {
  const opened = await openTestDb();
  const clock = new ManualClock();
  const channels: Channels = {
    async send() {
      throw new SmsSendError('isv.MOBILE_NUMBER_ILLEGAL', false);
    },
    close() {},
  };
  const worker = createOutboxWorker({ db: opened.db, clock, channels, pollMs: 1000, scrubSentBodies: true, log: quietLog });
  const id = await insertMessage(opened.db, { channel: 'sms', recipient: '13800000000', body: '【通行】沈清，您的校验码为 123456' }, clock.now());
  await worker.runOnce();
  const row = await opened.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.state, 'failed');
  assert.equal(row.body, '[failed]');
  assert.equal(row.html, null);
  assert.equal(row.template_params, null);
  assert.equal(row.recipient, '13800000000');
  assert.match(row.last_error ?? '', /MOBILE_NUMBER_ILLEGAL/);
  await opened.close();
});

test('a send that answers after the timeout is not sent again: its late success marks it sent', async () => {
  const opened = await openTestDb();
  const clock = new ManualClock();
  let calls = 0;
  let answer: (() => void) | undefined;
  const channels: Channels = {
    send() {
      calls++;
      // The relay takes the message but answers only after the worker stopped waiting.
      return new Promise<void>((resolve) => (answer = resolve));
    },
    close() {},
  };
  const worker = createOutboxWorker({ db: opened.db, clock, channels, pollMs: 1000, scrubSentBodies: false, log: quietLog, sendTimeoutMs: 20 });
  const id = await insertMessage(opened.db, { channel: 'sms', recipient: '13800001111', body: 'code 654321' }, clock.now());
  await worker.runOnce();
  let row = await opened.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  assert.equal(row.state, 'sending', 'still claimed while its outcome is unknown');
  clock.advance(10_000);
  await worker.runOnce();
  assert.equal(calls, 1, 'not retried while the first send may still land');
  answer!();
  for (let i = 0; i < 50 && row.state !== 'sent'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    row = await opened.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }
  assert.equal(row.state, 'sent');
  assert.equal(row.attempts, 1);
  await worker.stop();
  await opened.close();
});

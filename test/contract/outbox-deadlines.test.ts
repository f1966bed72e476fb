// Outbox workers on one database (PGlite, and PostgreSQL when the run has it) against a real SMTP
// server that is slow per command and an Aliyun SendSms stand-in on loopback that is slow to
// answer. Each message arrives exactly once although a send outlives the worker's patience:
//   - a relay that takes a mail and never answers: the send is cut off at its deadline, well inside
//     the lease, and not sent again by another worker (before, the lease ran out while the lane
//     waited, and the next worker sent it a second time);
//   - an SMS gateway that never answers: the same, through the aborted request;
//   - a platform delivery that ignores the deadline (it keeps its own timeout): its lease is renewed
//     while it is pending, so no other worker claims it;
//   - a slow SMS gateway holds up only the code it is sending: the next worker sends the others at
//     once (before, the first worker's claim held twenty rows until their lease ran out);
//   - stopping gives back the mail claimed and not begun at once, before the process would close the
//     database, and the next worker sends it at once rather than after the lease;
//   - a code still on the wire when the stop's time runs out is cut off then and marked failed
//     (before, it was left 'sending' and another node sent it again after the lease).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openTestDb, storageKinds } from '../helpers/db.ts';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { settlesWithin } from '../../src/lib/settles-within.ts';
import { createOutboxWorker, type OutboxWorker } from '../../src/notifications/worker.ts';
import { insertMessage } from '../../src/notifications/queries.ts';
import { createChannels, devSmsSender, type Channels, type PlatformDelivery } from '../../src/notifications/channels.ts';
import { AliyunSmsSender } from '../../src/notifications/sms/aliyun.ts';
import { SMS_TEMPLATES, type SmsTemplate } from '../../src/config/sms-templates.ts';
import type { Db } from '../../src/db/client.ts';

const quietLog = { warn() {}, error() {} };
const MAIL_FROM = 'noreply@tongxing.test';

/**
 * Aliyun SendSms on loopback: counts every request it is asked (the number and the code) and
 * answers Code OK, unless `hold` says to keep that request waiting (resolved when the test lets it go).
 */
async function smsGateway(hold: (code: string) => Promise<void> | 'never' | undefined = () => undefined) {
  const asked: string[] = [];
  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      request.on('data', (d) => (text += d));
      request.on('end', () => resolve(text));
    });
  const server = createServer(async (request, response) => {
    const params = Object.fromEntries(new URLSearchParams(await read(request)));
    const code = (JSON.parse(params.TemplateParam ?? '{}') as { code?: string }).code ?? '';
    asked.push(code);
    const waiting = hold(code);
    if (waiting === 'never') return; // never answered (the client aborts)
    if (waiting) await waiting;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ Code: 'OK', Message: 'OK', RequestId: `r-${code}`, BizId: `${code}^0` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sender = new AliyunSmsSender({
    accessKeyId: 'test-key',
    accessKeySecret: 'test-secret',
    signName: '通行',
    templateCodes: Object.fromEntries(Object.keys(SMS_TEMPLATES).map((t) => [t, `SMS_${t}`])) as Record<SmsTemplate, string>,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  return {
    sender,
    asked,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** How many times each of `expected` was received. */
const counts = (received: readonly string[], expected: readonly string[]) => expected.map((x) => `${x}: ${received.filter((r) => r === x).length}`);
const once = (expected: readonly string[]) => expected.map((x) => `${x}: 1`);
const mailsTo = (smtp: TestSmtp) => smtp.mails.flatMap((m) => m.to);

/** Polls until no row is due or on the wire any more (every outcome is written), within a generous bound. */
async function settled(db: Db, boundMs = 30_000): Promise<void> {
  const until = Date.now() + boundMs;
  for (;;) {
    const open = await db.selectFrom('outbox').select('id').where('state', 'in', ['queued', 'sending']).execute();
    if (open.length === 0 || Date.now() > until) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const sms = (code: string) => ({ channel: 'sms' as const, recipient: '13800000042', body: `【通行】您的校验码为 ${code}`, templateParams: { code } });

/** A worker on `db` as the service makes one, polling every `pollMs`; `timing` shortens the lease and deadline. */
const workerOn = (db: Db, channels: Channels, pollMs: number, timing: { lockMs?: number; sendTimeoutMs?: number } = {}) =>
  createOutboxWorker({ db, clock: systemClock, channels, pollMs, scrubSentBodies: false, log: quietLog, ...timing });

/** `n` workers racing for the same rows, each polling at once. */
function startWorkers(n: number, db: Db, channels: Channels, timing: { lockMs: number; sendTimeoutMs: number }, into: OutboxWorker[]): void {
  for (let i = 0; i < n; i++) {
    const worker = workerOn(db, channels, 50, timing);
    into.push(worker);
    worker.start();
    worker.nudge();
  }
}

for (const storage of storageKinds()) {
  test(`a relay that takes a mail and never answers: cut off in its lease, never sent again by another worker (${storage})`, async () => {
    const opened = await openTestDb(storage);
    // Every reply late, and none at all once it has the message: the mail arrives, the send hangs.
    const smtp = await startTestSmtp({ replyDelayMs: 100, stallAfterData: true });
    const workers: OutboxWorker[] = [];
    try {
      const channels = createChannels({ smtpUrl: smtp.url, mailFrom: MAIL_FROM, sms: devSmsSender });
      const recipients = ['stall0@example.edu.cn', 'stall1@example.edu.cn', 'stall2@example.edu.cn'];
      for (const to of recipients)
        await insertMessage(opened.db, { channel: 'email', recipient: to, subject: '通行帐号', body: `hello ${to}` }, systemClock.now());
      startWorkers(2, opened.db, channels, { lockMs: 3_000, sendTimeoutMs: 2_000 }, workers);
      await settled(opened.db);

      assert.deepEqual(counts(mailsTo(smtp), recipients), once(recipients), 'each mail reached the relay once');
      const rows = await opened.db.selectFrom('outbox').select(['recipient', 'state', 'attempts', 'last_error']).orderBy('seq').execute();
      for (const row of rows) {
        assert.equal(row.state, 'failed', `${row.recipient}: the relay may have it, so it is not sent again`);
        assert.equal(row.attempts, 1);
        assert.match(row.last_error ?? '', /may have been delivered/);
      }
      channels.close();
    } finally {
      await Promise.all(workers.map((w) => w.stop(1_000)));
      await smtp.close();
      await opened.close();
    }
  });

  test(`an SMS gateway that never answers: the request is aborted in its lease, the code never sent twice (${storage})`, async () => {
    const opened = await openTestDb(storage);
    const gateway = await smsGateway(() => 'never');
    const workers: OutboxWorker[] = [];
    try {
      const channels = createChannels({ smtpUrl: undefined, mailFrom: MAIL_FROM, sms: gateway.sender });
      await insertMessage(opened.db, sms('246810'), systemClock.now());
      startWorkers(2, opened.db, channels, { lockMs: 3_000, sendTimeoutMs: 1_000 }, workers);
      await settled(opened.db);

      assert.deepEqual(counts(gateway.asked, ['246810']), once(['246810']), 'the gateway was asked once');
      const row = await opened.db.selectFrom('outbox').select(['state', 'last_error']).executeTakeFirstOrThrow();
      assert.equal(row.state, 'failed');
      assert.match(row.last_error ?? '', /outcome unknown/);
    } finally {
      await Promise.all(workers.map((w) => w.stop(1_000)));
      await gateway.close();
      await opened.close();
    }
  });

  test(`a platform delivery slower than the lease and deaf to the deadline: its lease is kept, one delivery (${storage})`, async () => {
    const opened = await openTestDb(storage);
    // A webhook endpoint that answers after five seconds, reached without the worker's signal, as
    // the single sign-on module's delivery does (it keeps its own timeout).
    const calls: string[] = [];
    const endpoint = createServer((request, response) => {
      calls.push(request.url ?? '');
      setTimeout(() => response.end('ok'), 5_000);
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    const platforms: PlatformDelivery = {
      async webhook(platformId, url, body) {
        const response = await fetch(`${base}${new URL(url).pathname}`, { method: 'POST', body, headers: { 'x-platform': platformId } });
        await response.text();
      },
      async backchannelLogout() {},
      async casLogout() {},
    };
    const workers: OutboxWorker[] = [];
    try {
      const channels = createChannels({ smtpUrl: undefined, mailFrom: MAIL_FROM, sms: devSmsSender, platforms: () => platforms });
      await insertMessage(
        opened.db,
        { channel: 'webhook', platformId: 'exam-portal', recipient: 'https://portal.example.edu.cn/hooks/tongxing', body: '{"event":"identity_verified"}' },
        systemClock.now(),
      );
      startWorkers(2, opened.db, channels, { lockMs: 3_000, sendTimeoutMs: 500 }, workers);
      await settled(opened.db);

      assert.deepEqual(calls, ['/hooks/tongxing'], 'the platform heard of it once');
      const row = await opened.db.selectFrom('outbox').select(['state', 'attempts']).executeTakeFirstOrThrow();
      assert.deepEqual(row, { state: 'sent', attempts: 1 }, 'its late answer marked it sent');
    } finally {
      await Promise.all(workers.map((w) => w.stop(1_000)));
      endpoint.closeAllConnections();
      await new Promise<void>((resolve) => endpoint.close(() => resolve()));
      await opened.close();
    }
  });

  test(`a slow SMS gateway holds up only the code on the wire: the next worker sends the others at once (${storage})`, async () => {
    const opened = await openTestDb(storage);
    let letGo!: () => void;
    const slowFirst = new Promise<void>((resolve) => (letGo = resolve));
    const gateway = await smsGateway((code) => (code === '100001' ? slowFirst : undefined));
    try {
      const channels = createChannels({ smtpUrl: undefined, mailFrom: MAIL_FROM, sms: gateway.sender });
      const codes = ['100001', '100002', '100003', '100004'];
      for (const code of codes) await insertMessage(opened.db, sms(code), systemClock.now());
      const [first, second] = [1, 2].map(() => workerOn(opened.db, channels, 60_000));
      const firstPass = first!.runOnce();
      for (let i = 0; i < 300 && gateway.asked.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(gateway.asked, ['100001'], 'the first worker is sending the first code');

      // While the gateway still works on the first code, another worker sends the rest.
      await second!.runOnce();
      assert.deepEqual(gateway.asked.slice(1).sort(), ['100002', '100003', '100004']);
      letGo();
      await firstPass;

      assert.deepEqual(counts(gateway.asked, codes), once(codes), 'each code reached the gateway once');
      const rows = await opened.db.selectFrom('outbox').select('state').orderBy('seq').execute();
      assert.deepEqual(
        rows.map((r) => r.state),
        ['sent', 'sent', 'sent', 'sent'],
      );
      await Promise.all([first!.stop(1_000), second!.stop(1_000)]);
    } finally {
      letGo();
      await gateway.close();
      await opened.close();
    }
  });

  test(`a code still on the wire when the stop runs out is cut off and marked, not left to be sent again (${storage})`, async () => {
    const opened = await openTestDb(storage);
    const gateway = await smsGateway(() => 'never');
    try {
      const channels = createChannels({ smtpUrl: undefined, mailFrom: MAIL_FROM, sms: gateway.sender });
      await insertMessage(opened.db, sms('864200'), systemClock.now());
      // The production lease and deadline: the send would hang for 30 s, far past any stop.
      const stopping = workerOn(opened.db, channels, 50);
      stopping.start();
      stopping.nudge();
      for (let i = 0; i < 100 && gateway.asked.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(gateway.asked.length, 1, 'the code is on the wire');
      assert.ok(await settlesWithin(stopping.stop(2_000), 2_500), 'the stop ends within its time');
      const row = await opened.db.selectFrom('outbox').select(['state', 'last_error']).executeTakeFirstOrThrow();
      assert.equal(row.state, 'failed', 'marked before the database would close');
      assert.match(row.last_error ?? '', /outcome unknown|not sent again/);

      // Another node finds nothing to send again.
      const next = workerOn(opened.db, channels, 50);
      assert.equal(await next.runOnce(), 0);
      await next.stop(1_000);
      assert.deepEqual(counts(gateway.asked, ['864200']), once(['864200']));
    } finally {
      await gateway.close();
      await opened.close();
    }
  });

  test(`stopping gives back the mail not begun at once, before the database would close; the next worker sends it (${storage})`, async () => {
    const opened = await openTestDb(storage);
    const smtp = await startTestSmtp();
    const letGo = smtp.holdNextGreeting();
    try {
      const channels = createChannels({ smtpUrl: smtp.url, mailFrom: MAIL_FROM, sms: devSmsSender });
      const recipients = ['onwire@example.edu.cn', 'notbegun@example.edu.cn'];
      for (const to of recipients)
        await insertMessage(opened.db, { channel: 'email', recipient: to, subject: '通行帐号', body: `hello ${to}` }, systemClock.now());
      const stopping = workerOn(opened.db, channels, 60_000);
      stopping.start();
      void stopping.runOnce();
      // Its email lane claimed both (what it can send within a lease) and waits on the relay for the first.
      for (let i = 0; i < 300; i++) {
        const claimed = await opened.db.selectFrom('outbox').select('id').where('state', '=', 'sending').execute();
        if (claimed.length === 2) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      // As the service stops (main.ts): what is left of its deadline goes to the workers, then the database closes.
      await settlesWithin(stopping.stop(1_500), 1_500);
      const rows = await opened.db.selectFrom('outbox').select(['recipient', 'state', 'claim_token']).orderBy('seq').execute();
      assert.deepEqual(
        rows.map((r) => [r.recipient, r.state, r.claim_token === null]),
        [
          ['onwire@example.edu.cn', 'failed', true],
          ['notbegun@example.edu.cn', 'queued', true],
        ],
        'the mail on the wire is cut off and marked (not sent again); the one not begun is given back',
      );

      const next = workerOn(opened.db, channels, 60_000);
      assert.equal(await next.runOnce(), 1, 'the next worker sends it at once, not after the lease');
      await smtp.waitFor('notbegun@example.edu.cn');
      assert.deepEqual(counts(mailsTo(smtp), ['notbegun@example.edu.cn']), once(['notbegun@example.edu.cn']));
      await next.stop(1_000);
      channels.close();
    } finally {
      letGo();
      await smtp.close();
      await opened.close();
    }
  });
}

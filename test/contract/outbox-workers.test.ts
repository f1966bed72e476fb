// Several outbox workers on one database, on PGlite and PostgreSQL, against a real SMTP server:
// a relay so slow that a claimed batch outlives its lease still delivers every message exactly
// once (before, the rows past the lease were claimed again and sent twice); a relay that accepts
// connections and never answers holds up email only, never an SMS code; and stopping with a send
// hanging gives back every claimed message not yet begun.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { openTestDb, storageKinds } from '../helpers/db.ts';
import { startTestSmtp } from '../helpers/smtp.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createOutboxWorker } from '../../src/notifications/worker.ts';
import { insertMessage } from '../../src/notifications/queries.ts';
import { createChannels, devSmsSender, type Channels } from '../../src/notifications/channels.ts';
import type { SmsSender } from '../../src/notifications/sms/sender.ts';

const quietLog = { warn() {}, error() {} };
const LOCK_MS = 60_000;

/** A TCP server that accepts and never says a word: an SMTP relay hung before its greeting. */
async function hungRelay(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

for (const storage of storageKinds()) {
  test(`a relay slower than the lease: three workers deliver every message exactly once (${storage})`, async () => {
    const opened = await openTestDb(storage);
    const smtp = await startTestSmtp();
    try {
      const clock = new ManualClock();
      const smtpChannels = createChannels({ smtpUrl: smtp.url, mailFrom: 'noreply@tongxing.test', sms: devSmsSender });
      // Each mail takes a third of a lease (on the clock every worker reads): a batch of 20 is
      // still being sent long after the leases of its later rows have run out.
      const slow: Channels = {
        async send(message) {
          clock.advance(LOCK_MS / 3);
          await smtpChannels.send(message);
        },
        close: () => smtpChannels.close(),
      };
      const recipients = Array.from({ length: 30 }, (_, i) => `person${i}@example.edu.cn`);
      for (const to of recipients) await insertMessage(opened.db, { channel: 'email', recipient: to, subject: '通行帐号', body: `hello ${to}` }, clock.now());
      const workers = [1, 2, 3].map(() => createOutboxWorker({ db: opened.db, clock, channels: slow, pollMs: 1_000, scrubSentBodies: false, log: quietLog }));
      for (let round = 0; round < 4; round++) await Promise.all(workers.map((w) => w.runOnce()));

      const arrived = new Map<string, number>();
      for (const mail of smtp.mails) for (const to of mail.to) arrived.set(to, (arrived.get(to) ?? 0) + 1);
      assert.deepEqual(
        recipients.filter((to) => arrived.get(to) !== 1).map((to) => `${to}: ${arrived.get(to) ?? 0}`),
        [],
        'every message arrived once',
      );
      const states = await opened.db.selectFrom('outbox').select('state').execute();
      assert.ok(
        states.every((r) => r.state === 'sent'),
        JSON.stringify(states),
      );
      smtpChannels.close();
    } finally {
      await smtp.close();
      await opened.close();
    }
  });

  test(`a hung SMTP relay holds up email only; stopping gives back the claimed mail (${storage})`, async () => {
    const opened = await openTestDb(storage);
    const relay = await hungRelay();
    try {
      const clock = new ManualClock();
      const texts: string[] = [];
      const sms: SmsSender = { name: 'recording', send: async (m) => void texts.push(m.text) };
      const channels = createChannels({ smtpUrl: relay.url, mailFrom: 'noreply@tongxing.test', sms });
      for (let i = 0; i < 3; i++)
        await insertMessage(opened.db, { channel: 'email', recipient: `stuck${i}@example.edu.cn`, subject: 's', body: 'b' }, clock.now());
      await insertMessage(opened.db, { channel: 'sms', recipient: '13800000077', body: '【通行】您的登录校验码为 123456' }, clock.now());
      const worker = createOutboxWorker({ db: opened.db, clock, channels, pollMs: 60_000, scrubSentBodies: false, log: quietLog });
      worker.start();
      const pass = worker.runOnce();
      // The SMS lane finishes while the email lane waits on the relay.
      const deadline = Date.now() + 10_000;
      while (texts.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(texts, ['【通行】您的登录校验码为 123456']);
      const smsRow = await opened.db.selectFrom('outbox').select('state').where('channel', '=', 'sms').executeTakeFirstOrThrow();
      assert.equal(smsRow.state, 'sent');

      await worker.stop();
      const emails = await opened.db.selectFrom('outbox').select(['state', 'claim_token']).where('channel', '=', 'email').orderBy('seq').execute();
      // One mail was on the wire when the worker stopped: cut off as the stop ran out and marked
      // failed (it may have reached the relay; not sent again by another node); the two not begun
      // are queued again at once.
      assert.deepEqual(
        emails.map((e) => e.state),
        ['failed', 'queued', 'queued'],
      );
      assert.ok(emails.slice(1).every((e) => e.claim_token === null));
      void pass;
      channels.close();
    } finally {
      await relay.close();
      await opened.close();
    }
  });
}

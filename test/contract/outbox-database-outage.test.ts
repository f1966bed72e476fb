// The outbox when PostgreSQL goes away in the middle of a batch (reached through a TCP proxy the
// test controls): the gateway took the first SMS, then the database went before it was marked
// sent. Once the database is back the worker marks that one sent — never sends it again, even
// after its lease has run out — and sends the rest of the batch at once instead of leaving them
// claimed until their lease runs out (a minute for a sign-in code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clonePostgresDatabase } from '../helpers/postgres.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { openPostgres } from '../../src/db/client.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { createOutboxWorker } from '../../src/notifications/worker.ts';
import { insertMessage } from '../../src/notifications/queries.ts';
import { createChannels } from '../../src/notifications/channels.ts';
import type { SmsSender } from '../../src/notifications/sms/sender.ts';

const database = await clonePostgresDatabase();

if (database) {
  test('PostgreSQL away between an SMS sent and marked: sent once, the rest of the batch sent once it is back', async () => {
    const url = new URL(database.url);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(proxy.port);
    const opened = await openPostgres(url.toString(), 2);
    const errors: string[] = [];
    const log = { warn() {}, error: (obj: object, msg: string) => void errors.push(`${(obj as { lane?: string }).lane}: ${msg}`) };
    try {
      const clock = new ManualClock();
      const texts: string[] = [];
      const sms: SmsSender = {
        name: 'recording',
        async send(message) {
          texts.push(message.text);
          // The gateway has it; the database goes before the worker can write that down.
          if (texts.length === 1) proxy.set('down');
        },
      };
      const channels = createChannels({ smtpUrl: undefined, mailFrom: 'noreply@tongxing.test', sms });
      const codes = ['111111', '222222', '333333'];
      for (const code of codes) await insertMessage(opened.db, { channel: 'sms', recipient: '13800000088', body: `【通行】您的校验码为 ${code}` }, clock.now());
      const worker = createOutboxWorker({ db: opened.db, clock, channels, pollMs: 60_000, scrubSentBodies: false, log });

      await worker.runOnce();
      assert.equal(texts.length, 1);
      // The SMS lane's pass failed on the database, and the process goes on (another lane's pass
      // may have met the database away too, as it happens).
      assert.ok(errors.includes('sms: outbox pass failed'), errors.join('; '));
      assert.ok(
        errors.every((e) => e.endsWith(': outbox pass failed')),
        errors.join('; '),
      );

      proxy.set('up');
      const deadline = Date.now() + 15_000;
      while (texts.length < codes.length && Date.now() < deadline) {
        await worker.runOnce();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // And after every lease has run out, nothing is sent again.
      clock.advance(10 * 60_000);
      await worker.runOnce();
      assert.deepEqual(
        texts,
        codes.map((code) => `【通行】您的校验码为 ${code}`),
        'each message once, in order',
      );
      const rows = await opened.db.selectFrom('outbox').select(['state', 'attempts']).orderBy('seq').execute();
      assert.deepEqual(
        rows.map((r) => r.state),
        ['sent', 'sent', 'sent'],
      );
      channels.close();
    } finally {
      await opened.close();
      await proxy.close();
      await database.drop();
    }
  });
}

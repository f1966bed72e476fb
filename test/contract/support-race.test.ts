// Support requests under concurrency (on PostgreSQL the calls really run at once): two staff
// members claiming one request — one gets it; a staff answer and the person closing at the same
// moment — whichever order the row lock gives, the answer, its message to the person and the
// final state agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { claimRequest, fileRequest, personClose, requestsOf, staffReply, supportQueue } from '../../src/support/requests.ts';

for (const storage of storageKinds()) {
  test(`${storage}: one claim wins; an answer racing the person's close leaves one consistent outcome`, async () => {
    const t = await getTestInstance({ storage });
    try {
      const { accountId, phone } = await t.registerPhone();
      const deps = t.services.accounts;
      const meta = { ip: '198.51.100.30', userAgent: null };
      const { reference } = await fileRequest(deps, { accountId, category: 'other', text: '并发测试', image: undefined, source: 'form' }, meta);
      const { id } = await t.db.selectFrom('support_requests').select('id').where('reference', '=', reference).executeTakeFirstOrThrow();

      assert.deepEqual(
        (await supportQueue(deps)).map((r) => [r.reference, r.question]),
        [[reference, '并发测试']],
      );
      const claims = await Promise.allSettled([
        claimRequest(deps, id, { username: 'support.a', ip: null }),
        claimRequest(deps, id, { username: 'support.b', ip: null }),
      ]);
      assert.deepEqual(claims.map((c) => c.status).sort(), ['fulfilled', 'rejected']);
      const holder = claims[0]!.status === 'fulfilled' ? 'support.a' : 'support.b';
      assert.equal((claims.find((c) => c.status === 'rejected') as PromiseRejectedResult).reason.code, 'review.not_available');

      const before = (await t.messagesTo(phone)).length;
      const [answer, close] = await Promise.allSettled([
        staffReply(deps, t.services.inbox, id, { username: holder, ip: null }, { text: '已处理', close: false }),
        personClose(deps, accountId, reference, meta),
      ]);
      assert.equal(close.status, 'fulfilled', 'the person can always close an open or answered request');
      assert.equal((await requestsOf(deps, accountId))[0]?.question, '并发测试');
      const row = await t.db.selectFrom('support_requests').select('state').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(row.state, 'closed');
      const staffMessages = await t.db.selectFrom('support_messages').select('id').where('request_id', '=', id).where('author', '=', 'staff').execute();
      const told = (await t.messagesTo(phone)).length - before;
      if (answer.status === 'fulfilled') {
        assert.equal(staffMessages.length, 1);
        assert.equal(told, 1, 'the answer was told');
      } else {
        assert.equal(answer.reason.code, 'support.already_closed');
        assert.equal(staffMessages.length, 0);
        assert.equal(told, 0, 'nothing told of an answer never given');
      }
    } finally {
      await t.close();
    }
  });
}

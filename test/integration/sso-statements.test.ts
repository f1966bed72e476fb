// What single sign-on sends to the database on every sign-in (issue 20): the subject is read, not
// written, once it exists, and a platform's use is recorded in one statement. Counted at the query
// builder (every statement of the db passes through its plugins), so a repeated read or write
// added back fails here.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin } from 'kysely';
import { openTestDb, storageKinds } from '../helpers/db.ts';
import type { OpenedDb } from '../../src/db/client.ts';
import { ensureSubject } from '../../src/sso/queries.ts';
import { recordPlatformUseOfSubject } from '../../src/sso/platform-queries.ts';

function counting(opened: OpenedDb) {
  const counter = { statements: 0 };
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      counter.statements++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: opened.db.withPlugin(plugin), counter };
}

for (const kind of storageKinds()) {
  describe(`SSO statements per sign-in (${kind})`, () => {
    let opened: OpenedDb;
    let accountId: string;
    before(async () => {
      opened = await openTestDb(kind);
      const at = new Date('2026-12-01T00:00:00Z');
      accountId = (
        await opened.db
          .insertInto('accounts')
          .values({
            phone: '13900001111',
            email: null,
            phone_verified_at: at,
            email_verified_at: null,
            password_hash: 'x',
            state: 'active',
            registered_via: 'phone',
            created_at: at,
            activated_at: at,
            updated_at: at,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    });
    after(() => opened.close());

    test('an existing subject is read in one statement and kept; a new one is created once', async () => {
      const { db, counter } = counting(opened);
      const sub = await ensureSubject(db, accountId, 'first-subject-value');
      assert.equal(sub, 'first-subject-value');
      assert.equal(counter.statements, 3, 'the first sign-in reads, inserts and reads back');
      counter.statements = 0;
      assert.equal(await ensureSubject(db, accountId, 'another-fresh-value'), 'first-subject-value');
      assert.equal(counter.statements, 1, 'later sign-ins only read');
    });

    test("a platform's use is recorded in one statement, and not at all for an unknown subject", async () => {
      const { db, counter } = counting(opened);
      const at = new Date('2026-12-02T00:00:00Z');
      await recordPlatformUseOfSubject(db, 'first-subject-value', '示例平台', 'example-client', at);
      await recordPlatformUseOfSubject(db, 'first-subject-value', '示例平台', 'example-client', new Date('2026-12-03T00:00:00Z'));
      await recordPlatformUseOfSubject(db, 'nobody-has-this-subject', '示例平台', 'example-client', at);
      assert.equal(counter.statements, 3);
      const rows = await opened.db.selectFrom('platform_usages').selectAll().execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.account_id, accountId);
      assert.equal(rows[0]!.client_id, 'example-client');
      assert.equal(rows[0]!.first_used_at.toISOString(), '2026-12-02T00:00:00.000Z');
      assert.equal(rows[0]!.last_used_at.toISOString(), '2026-12-03T00:00:00.000Z');
    });
  });
}

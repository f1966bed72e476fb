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
import { getServedInstance, type ServedInstance } from '../helpers/browser.ts';
import { Browserless, REDIRECT, authUrl, oidc, platform, registerPerson, signInThroughTongxing } from '../helpers/sso-flow.ts';

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

// A whole sign-in through a platform, a refresh grant and a userinfo call, as the platform and
// the browser make them over HTTP: every statement the service sends for them (BEGIN and COMMIT
// not counted). Counted so before issue 20's second SSO pass (2026-12-04): 46 for the login
// (consent remembered), 6 for a refresh grant, 4 for userinfo with a session-bound token.
let flowStatements = 0;
const flowCounter: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    flowStatements++;
    return args.result;
  },
};

async function countedFlow<T>(run: () => Promise<T>) {
  // Work the previous step left running (the platform-use record after a sign-in) lands first.
  await new Promise((resolve) => setTimeout(resolve, 100));
  flowStatements = 0;
  const result = await run();
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { result, statements: flowStatements };
}

for (const storage of storageKinds()) {
  describe(`SSO statements per flow (${storage})`, () => {
    let t: ServedInstance;
    before(async () => {
      t = await getServedInstance({
        storage,
        plugins: [flowCounter],
        limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } },
      });
    });
    after(() => t.close());

    test('a full login, a refresh grant and userinfo send few statements', async () => {
      const phone = await registerPerson(t);
      const p = await platform(t, { scopes: ['profile', 'offline_access'] });
      const login = async (scope: string, extra: Record<string, string> = {}) => {
        const { url, verifier, state } = await authUrl(p, scope, extra);
        const browser = new Browserless();
        const back = await signInThroughTongxing(t, browser, url, phone);
        assert.equal(new URL(back.url).origin, new URL(REDIRECT).origin, `the sign-in ended at ${back.url}`);
        return oidc.authorizationCodeGrant(p.config, new URL(back.url), { pkceCodeVerifier: verifier, expectedState: state });
      };
      // The first sign-in asks for consent (and a refresh token); the next ones remember it.
      const first = await login('openid profile offline_access', { prompt: 'consent' });
      await login('openid profile');

      const again = await countedFlow(() => login('openid profile'));
      const refreshed = await countedFlow(() => oidc.refreshTokenGrant(p.config, first.refresh_token!));
      assert.ok(refreshed.result.refresh_token);
      const userinfo = await countedFlow(async () => {
        const res = await fetch(p.config.serverMetadata().userinfo_endpoint!, { headers: { authorization: `Bearer ${again.result.access_token}` } });
        assert.equal(res.status, 200);
        return res.json();
      });
      assert.ok(again.statements <= 37, `a full login sent ${again.statements} statements`);
      assert.ok(refreshed.statements <= 5, `a refresh grant sent ${refreshed.statements} statements`);
      assert.ok(userinfo.statements <= 2, `userinfo sent ${userinfo.statements} statements`);
    });
  });
}

// How many SQL statements a password sign-in sends (issue 20): each costs service and database
// CPU that the argon2 threads compete with on a small machine, so the count must not grow back.
// Counted with a Kysely plugin on the services' database handle: every statement the app runs
// (rate-limit counters included) passes through it; BEGIN and COMMIT of a transaction do not.
// Before issue 20: 15 on a successful sign-in, 12 when it stops at the second factor; then 13
// and 11, seven and five of them rate-limit counters, now folded into one statement before the
// hash and one after it (RateLimits.spendMany, settleMany).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin } from 'kysely';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { Agent } from '../helpers/agent.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';
import { Authenticator, shownKey } from '../helpers/authenticator.ts';

let statements = 0;
const counter: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    statements++;
    return args.result;
  },
};

let t: TestInstance;

/** The statements one request sends, and its status. */
async function counted(send: () => Promise<{ status: number }>) {
  statements = 0;
  const { status } = await send();
  return { status, statements };
}

async function webSignIn(username: string, password: string) {
  const agent = new Agent(t.app, { ip: t.nextIp() });
  await agent.get('/login');
  return counted(() => agent.submit('/login', { username, password }));
}

const apiSignIn = (username: string, password: string) =>
  counted(async () => {
    const reply = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { username, password }, remoteAddress: t.nextIp() });
    return { status: reply.statusCode };
  });

for (const storage of storageKinds()) {
  describe(storage, () => {
    before(async () => {
      t = await getTestInstance({ storage, plugins: [counter] });
    });
    after(() => t.close());

    test('a password sign-in on the page and through the API sends few statements', async () => {
      const { phone } = await t.registerPhone();
      const web = await webSignIn(phone, TEST_PASSWORD);
      assert.equal(web.status, 303);
      const api = await apiSignIn(phone, TEST_PASSWORD);
      assert.equal(api.status, 201);
      assert.ok(web.statements <= 8, `web sign-in sent ${web.statements} statements`);
      assert.ok(api.statements <= 8, `API sign-in sent ${api.statements} statements`);
    });

    test('a wrong password and an unknown username send the same statements', async () => {
      const { phone } = await t.registerPhone();
      const wrong = await webSignIn(phone, 'not the password');
      const unknown = await webSignIn(t.nextPhone(), 'not the password');
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      // The known account's failure is also audited: one statement more, after the same hash.
      assert.ok(wrong.statements <= 4, `wrong password sent ${wrong.statements} statements`);
      assert.ok(unknown.statements <= 3, `unknown username sent ${unknown.statements} statements`);
    });

    test('a sign-in that stops at the second factor sends few statements', async () => {
      const person = await t.registerPhone();
      const setup = await person.agent.get('/account/two-factor/setup');
      const app = new Authenticator(shownKey(setup.body));
      assert.equal((await person.agent.submit('/account/two-factor/setup', { code: app.codeAt(t.clock.now()) })).status, 200);
      const web = await webSignIn(person.phone, TEST_PASSWORD);
      assert.equal(web.status, 303);
      const api = await apiSignIn(person.phone, TEST_PASSWORD);
      assert.ok(web.statements <= 6, `web sign-in with a second factor sent ${web.statements} statements`);
      assert.ok(api.statements <= 6, `API sign-in with a second factor sent ${api.statements} statements`);
    });
  });
}

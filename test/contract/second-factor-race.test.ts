// A second-factor code is spent once however many browsers send it at the same moment (on
// PostgreSQL they really run at once): one authenticator code, one recovery code, one pending
// sign-in each start exactly one session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { Agent } from '../helpers/agent.ts';
import { TEST_PASSWORD } from '../helpers/people.ts';
import { Authenticator, shownKey, shownRecoveryCodes } from '../helpers/authenticator.ts';

for (const storage of storageKinds()) {
  test(`${storage}: one code, one recovery code, one pending sign-in: one session each, sent at once`, async () => {
    const t = await getTestInstance({ storage, limits: { secondFactorGuessesPerAccount: { points: 100, durationSeconds: 900, blockSeconds: 900 } } });
    try {
      const person = await t.registerPhone();
      const app = new Authenticator(shownKey((await person.agent.get('/account/two-factor/setup')).body));
      const codes = shownRecoveryCodes((await person.agent.submit('/account/two-factor/setup', { code: app.codeAt(t.clock.now()) })).body);
      const sessions = async () => (await t.db.selectFrom('sessions').select('id').where('account_id', '=', person.accountId).execute()).length;

      /**
       * Browsers past the password, each waiting at the second step: one after another (parallel
       * password sign-ins would call for the captcha; the race here is the second step).
       */
      const atSecondStep = async (count: number) => {
        const agents: Agent[] = [];
        for (let i = 0; i < count; i++) {
          const agent = new Agent(t.app, { ip: t.nextIp() });
          const page = await agent.submit('/login', { username: person.phone, password: TEST_PASSWORD }, { from: '/login' });
          assert.equal(page.location, '/login/second-factor', page.text);
          await agent.get('/login/second-factor');
          agents.push(agent);
        }
        return agents;
      };
      const send = (agents: Agent[], code: (i: number) => string) =>
        Promise.all(agents.map((a, i) => a.submit('/login/second-factor', { code: code(i) }))).then((pages) => pages.filter((p) => p.status === 303).length);

      t.clock.advance(30_000);
      const before = await sessions();
      const code = app.codeAt(t.clock.now());
      assert.equal(await send(await atSecondStep(6), () => code), 1, 'one authenticator code: one session');
      assert.equal(await sessions(), before + 1);

      assert.equal(await send(await atSecondStep(6), () => codes[0]!), 1, 'one recovery code: one session');
      assert.equal(await sessions(), before + 2);

      // One browser sending two right answers at once (two tabs): its pending sign-in is used once.
      t.clock.advance(30_000);
      const [tab] = await atSecondStep(1);
      assert.equal(await send([tab!, tab!], (i) => (i === 0 ? app.codeAt(t.clock.now()) : codes[1]!)), 1, 'one pending sign-in: one session');
      assert.equal(await sessions(), before + 3);
    } finally {
      await t.close();
    }
  });
}

// 找回密码 by SMS carries one live code per account: requests at the same moment, from many
// addresses, make one code and send one message (on PostgreSQL they really run at once), and
// wrong guesses across the requests that share it add up to one budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, knownCaptcha } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { Agent, codeIn } from '../helpers/agent.ts';

const CAPTCHA = 'q8Rt';

for (const storage of storageKinds()) {
  test(`${storage}: a burst of reset requests makes one code and one message; guesses share one budget`, async () => {
    const t = await getTestInstance({ storage, services: { drawCaptcha: knownCaptcha(CAPTCHA) } });
    try {
      const { phone } = await t.registerPhone({ password: 'a reset race password' });
      const agents = Array.from({ length: 8 }, (_, i) => new Agent(t.app, { ip: `198.18.77.${10 + i}` }));
      const forms = await Promise.all(agents.map((a) => a.get('/recover/password')));
      const pages = await Promise.all(
        agents.map((a, i) =>
          a.submit('/recover/password', { username: phone, captchaId: /name="captchaId" value="([^"]+)"/.exec(forms[i]!.body)![1]!, captcha: CAPTCHA }),
        ),
      );
      assert.ok(pages.every((p) => p.status === 200));
      const sms = (await t.messagesTo(phone)).filter((m) => /找回密码/.test(m.text));
      assert.equal(sms.length, 1, 'one message for the burst');
      const code = codeIn(sms[0]!.text);
      const live = await t.db
        .selectFrom('verification_codes')
        .select('id')
        .where('purpose', '=', 'reset_password_sms')
        .where('consumed_at', 'is', null)
        .execute();
      assert.equal(live.length, 1, 'one live code');

      // Ten wrong guesses spread over the requests use up the code's budget: the right code then
      // opens none of them until its life is over (the owner on their own network excepted).
      const flows = pages.map((p) => /name="flow" value="([^"]+)"/.exec(p.body)![1]!);
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 10; i++) await agents[i % 5]!.submit('/recover/password/code', { flow: flows[i % 5]!, kind: 'phone', code: wrong });
      const refused = await agents[6]!.submit('/recover/password/code', { flow: flows[6]!, kind: 'phone', code });
      assert.equal(refused.status, 429, refused.text);
    } finally {
      await t.close();
    }
  });
}

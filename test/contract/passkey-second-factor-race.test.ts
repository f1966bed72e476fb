// The last passkey of the passkey way is kept however the removals arrive: with two passkeys and
// the second factor on with passkeys alone, removing both at the same moment (on PostgreSQL they
// really run at once) removes exactly one; the account row lock both removals take serialises them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';

const ORIGIN = 'http://localhost:8080';

for (const storage of storageKinds()) {
  test(`${storage}: two passkeys removed at once while they are the only second factor: one goes, the last stays`, async () => {
    const t = await getTestInstance({ storage, env: { PUBLIC_URL: ORIGIN } });
    try {
      const { agent, accountId } = await t.registerPhone();
      const authenticator = new SoftAuthenticator(ORIGIN);
      for (const name of ['手机', '电脑']) {
        await agent.get('/account/passkeys/new');
        const options = await agent.postJson('/account/passkeys/options', { name });
        const credential = authenticator.create(options.json.options as PublicKeyCredentialCreationOptionsJSON);
        assert.equal((await agent.submit('/account/passkeys', { name, credential: JSON.stringify(credential) })).status, 200);
        t.clock.advance(1_000);
      }
      assert.equal((await agent.submit('/account/two-factor/passkey', {})).status, 200);
      const ids = (await t.db.selectFrom('passkeys').select('id').where('account_id', '=', accountId).execute()).map((r) => r.id);
      assert.equal(ids.length, 2);

      await agent.get('/account/passkeys');
      const answers = await Promise.all(ids.map((id) => agent.submit(`/account/passkeys/${id}/remove`, {})));
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409]);
      assert.equal((await t.db.selectFrom('passkeys').select('id').where('account_id', '=', accountId).execute()).length, 1);
    } finally {
      await t.close();
    }
  });
}

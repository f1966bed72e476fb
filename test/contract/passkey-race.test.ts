// Passkey answers at the same moment (on PostgreSQL they really run at once): one challenge is
// taken by one answer only, and two answers from one passkey are verified one after the other
// under its row lock, so the signature counter only goes forward.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { SoftAuthenticator } from '../helpers/soft-authenticator.ts';
import { signInOptions, verifySignIn } from '../../src/passkeys/authentication.ts';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';

const ORIGIN = 'http://localhost:8080';

for (const storage of storageKinds()) {
  test(`${storage}: one challenge answered twice at once signs in once; a passkey's counter goes only forward`, async () => {
    const t = await getTestInstance({ storage, env: { PUBLIC_URL: ORIGIN } });
    try {
      const { agent, accountId } = await t.registerPhone({ password: 'a passkey race password' });
      const authenticator = new SoftAuthenticator(ORIGIN);
      await agent.get('/account/passkeys/new');
      const options = await agent.postJson('/account/passkeys/options', { name: '手机' });
      const credential = authenticator.create(options.json.options as PublicKeyCredentialCreationOptionsJSON);
      assert.equal((await agent.submit('/account/passkeys', { name: '手机', credential: JSON.stringify(credential) })).status, 200);

      const deps = t.services.passkeys;
      const meta = { ip: '198.51.100.20', userAgent: null };
      const browser = 'r'.repeat(43);
      const one = JSON.stringify(authenticator.get(await signInOptions(deps, browser, meta)));
      const results = await Promise.allSettled([verifySignIn(deps, browser, one, meta), verifySignIn(deps, browser, one, meta)]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      assert.equal((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code, 'passkeys.expired');

      // Two answers made in order (counters 3 and 4) arriving together: both pass, and the counter
      // stored is the higher one whichever commits last.
      const a = JSON.stringify(authenticator.get(await signInOptions(deps, browser, meta)));
      const b = JSON.stringify(authenticator.get(await signInOptions(deps, browser, meta)));
      const both = await Promise.allSettled([verifySignIn(deps, browser, b, meta), verifySignIn(deps, browser, a, meta)]);
      const stored = await t.db.selectFrom('passkeys').select('counter').where('account_id', '=', accountId).executeTakeFirstOrThrow();
      assert.equal(Number(stored.counter), 4, 'never back to 3');
      assert.ok(
        both.some((r) => r.status === 'fulfilled'),
        'the later answer passes',
      );
    } finally {
      await t.close();
    }
  });
}

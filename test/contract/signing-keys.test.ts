// One ID-token key set for the cluster, on PGlite and PostgreSQL: nodes starting together on an
// empty database make one signing key between them (before, each made and signed with its own,
// and a platform fetching the key set from another node could not verify its tokens); a key
// added by rotation is published by a running node at once, beside the one it signs with; a
// retirement right after a rotation keeps the key still signing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance } from '../helpers/app.ts';
import { storageKinds } from '../helpers/db.ts';
import { DAY } from '../../src/lib/clock.ts';
import { PUBLISH_AHEAD_MS, addSigningKey, retireSigningKeys, signingJwks } from '../../src/sso/signing-keys.ts';

for (const storage of storageKinds()) {
  test(`nodes starting together share one signing key; a rotation is published at once (${storage})`, async () => {
    const t = await getTestInstance({ storage });
    try {
      const deps = { db: t.db, clock: t.clock, keys: t.services.identity.keys };
      const kidsBefore = (await t.db.selectFrom('oidc_signing_keys').select('kid').execute()).map((r) => r.kid);
      // Forget the key the instance made, as on a database no node has started on yet.
      await t.db.deleteFrom('oidc_signing_keys').execute();
      const starts = await Promise.all([1, 2, 3, 4].map(() => signingJwks(deps)));
      const kids = new Set(starts.map((keys) => keys[0]!.kid));
      assert.equal(kids.size, 1, 'every node signs with the same key');
      assert.equal((await t.db.selectFrom('oidc_signing_keys').select('kid').execute()).length, 1);
      assert.equal(kidsBefore.length, 1);

      const published = async () => {
        const res = await t.app.inject({ method: 'GET', url: '/oidc/jwks' });
        assert.equal(res.statusCode, 200);
        assert.match(String(res.headers['content-type']), /^application\/jwk-set\+json/);
        return (res.json() as { keys: Array<Record<string, unknown>> }).keys;
      };
      const rotated = await addSigningKey(deps);
      const keys = await published();
      assert.deepEqual(new Set(keys.map((k) => k.kid)), new Set([rotated, [...kids][0]]), 'the new key is published without a restart');
      for (const key of keys) {
        assert.deepEqual(Object.keys(key).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use'], 'public parts only');
      }
    } finally {
      await t.close();
    }
  });
}

for (const storage of storageKinds()) {
  test(`retiring right after a rotation keeps the key still signing; once the new one signs, the old one goes (${storage})`, async () => {
    const t = await getTestInstance({ storage });
    try {
      const deps = { db: t.db, clock: t.clock, keys: t.services.identity.keys };
      const published = async () => {
        const res = await t.app.inject({ method: 'GET', url: '/oidc/jwks' });
        return (res.json() as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid).sort();
      };
      t.clock.advance(3 * DAY);
      const [old] = (await signingJwks(deps)).map((k) => k.kid);
      const rotated = await addSigningKey(deps);
      t.clock.advance(1_000);
      // Zero days (or a fraction) once retired every key but the newest: the one still signing.
      assert.equal(await retireSigningKeys(deps, 0), 0);
      assert.deepEqual(await published(), [old, rotated].sort(), 'both stay published');
      assert.equal((await signingJwks(deps))[0]!.kid, old, 'the old key still signs: no cached key set has the new one yet');

      // Once the new key has been published long enough it signs; the old one was replaced then.
      t.clock.advance(PUBLISH_AHEAD_MS + 1_000);
      assert.equal((await signingJwks(deps))[0]!.kid, rotated);
      assert.equal(await retireSigningKeys(deps, 1), 0, 'replaced a second ago, not a day');
      assert.equal(await retireSigningKeys(deps, 0), 1);
      assert.deepEqual(await published(), [rotated], 'the signing key stays, alone');
      assert.equal(await retireSigningKeys(deps, 0), 0, 'the last key is never retired');
      await assert.rejects(retireSigningKeys(deps, Number.NaN), RangeError);
    } finally {
      await t.close();
    }
  });
}

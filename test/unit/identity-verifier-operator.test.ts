// IDENTITY_VERIFIER_OPERATOR: the registry check receives the person's name and ID number, so
// whoever runs it must be named (in the ID number's consent) before a verifier is configured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config.ts';

const verifier = { IDENTITY_VERIFIER_URL: 'https://registry.example.com/check', IDENTITY_VERIFIER_SECRET: 's'.repeat(20) };

test('a registry check without IDENTITY_VERIFIER_OPERATOR is refused, naming the variable and why', () => {
  assert.throws(
    () => loadConfig(verifier),
    (e: unknown) =>
      e instanceof ConfigError &&
      /IDENTITY_VERIFIER_OPERATOR: required with IDENTITY_VERIFIER_URL: the organisation that receives the name and ID number/.test(e.message),
  );
});

test('with the operator the verifier carries its name; without a verifier nothing is named', () => {
  const named = loadConfig({ ...verifier, IDENTITY_VERIFIER_OPERATOR: ' 某某身份核验服务有限公司 ' });
  assert.deepEqual(named.identityVerifier, {
    ...{ url: verifier.IDENTITY_VERIFIER_URL, secret: verifier.IDENTITY_VERIFIER_SECRET },
    operator: '某某身份核验服务有限公司',
  });
  assert.equal(loadConfig({}).identityVerifier, undefined);
  assert.equal(loadConfig({ IDENTITY_VERIFIER_OPERATOR: '某某身份核验服务有限公司' }).identityVerifier, undefined, 'a name alone sends nothing anywhere');
});

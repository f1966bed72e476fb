// RATE_LIMITS: an operator sizes the limits for their season without changing code. A limit set
// there is the one requests meet; a name the policy does not have stops the start, named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../src/app.ts';
import { createServices } from '../../src/services.ts';
import { loadConfig } from '../../src/config.ts';
import { keyringFromSecret } from '../../src/lib/keyring.ts';
import { openTestDb } from '../helpers/db.ts';

const env = { NODE_ENV: 'test', ARGON2_MEMORY_KIB: '1024', ARGON2_ITERATIONS: '1', LOG_LEVEL: 'silent', CAPTCHA_POW_COST: '10' };

test('a limit set in RATE_LIMITS is the one requests meet', async () => {
  const opened = await openTestDb();
  const services = await createServices(loadConfig({ ...env, RATE_LIMITS: 'captchasPerIp=2/3600' }), opened.db, keyringFromSecret(randomBytes(32)));
  const app = await buildApp(services);
  try {
    const ask = () => app.inject({ method: 'POST', url: '/api/v1/captchas', remoteAddress: '198.51.100.20', payload: {} });
    assert.equal((await ask()).statusCode, 200);
    assert.equal((await ask()).statusCode, 200);
    const third = await ask();
    assert.equal(third.statusCode, 429, 'the third captcha in the hour, where the built-in policy allows 120');
    assert.equal(third.json().error.code, 'rate.limited');
  } finally {
    await app.close();
    await services.worker.stop();
    await opened.close();
  }
});

test('a name the policy does not have stops the start, named', async () => {
  const opened = await openTestDb();
  try {
    await assert.rejects(
      createServices(loadConfig({ ...env, RATE_LIMITS: 'codesGlobl=100/60' }), opened.db, keyringFromSecret(randomBytes(32))),
      /RATE_LIMITS: no limit is named codesGlobl/,
    );
  } finally {
    await opened.close();
  }
});

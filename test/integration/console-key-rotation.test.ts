// `tongxing keys rotate` also re-seals what the console keeps encrypted: staff TOTP secrets and
// enterprises' stamped letters. After rotation only the new key is needed to read them, and the
// staff member still signs in with their authenticator.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { getTestInstance, knownCaptcha } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { SMALLEST_GIF } from '../helpers/images.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { rotateSealedData } from '../../src/maintenance/rotate-keys.ts';
import { openBytes, type FieldKeys } from '../../src/lib/field-crypto.ts';
import { totpAad } from '../../src/admin/staff-auth.ts';
import { letterAad } from '../../src/enterprise/service.ts';
import { checkCharacter } from '../../src/enterprise/credit-code.ts';

const t = await getTestInstance({ services: { drawCaptcha: knownCaptcha('ROTA') } });
after(() => t.close());

test('staff TOTP secrets and enterprise letters are re-sealed under the new key', async () => {
  const staff = await createStaff(t, 'admin.rota', ['admin']);
  await signInStaff(t, staff);
  const agent = new Agent(t.app, { ip: '198.18.60.1' });
  const captchaId = /name="captchaId" value="([^"]+)"/.exec((await agent.get('/recover/enterprise')).body)![1]!;
  const body17 = '91440300MA5ABCDE1';
  const sent = await agent.submitMultipart(
    '/recover/enterprise',
    {
      enterpriseName: '深圳某某公司',
      creditCode: `${body17}${checkCharacter(body17)}`,
      contactName: '李经理',
      contactPhone: '13612345678',
      wants: 'username',
      captchaId,
      captcha: 'ROTA',
    },
    { letter: { filename: 'letter.gif', contentType: 'image/gif', data: SMALLEST_GIF } },
  );
  assert.equal(sent.status, 200, sent.text);

  const old = t.services.identity.keys;
  const rotated: FieldKeys = { activeKeyId: 'next', keys: new Map([['next', randomBytes(32)], ...old.keys]), indexKey: old.indexKey };
  const counts = await rotateSealedData({ db: t.db, keys: rotated });
  assert.equal(counts.staffSecrets, 1);
  assert.equal(counts.letters, 1);

  const onlyNew: FieldKeys = { activeKeyId: 'next', keys: new Map([['next', rotated.keys.get('next')!]]), indexKey: old.indexKey };
  const row = await t.db
    .selectFrom('staff_accounts')
    .select(['id', 'totp_key_id', 'totp_cipher'])
    .where('username', '=', 'admin.rota')
    .executeTakeFirstOrThrow();
  assert.equal(row.totp_key_id, 'next');
  assert.deepEqual(openBytes(onlyNew, { keyId: 'next', data: Buffer.from(row.totp_cipher!) }, totpAad(row.id)), staff.secret);
  const letter = await t.db.selectFrom('enterprise_requests').select(['id', 'letter_key_id', 'letter_cipher']).executeTakeFirstOrThrow();
  assert.equal(letter.letter_key_id, 'next');
  assert.deepEqual(openBytes(onlyNew, { keyId: 'next', data: Buffer.from(letter.letter_cipher) }, letterAad(letter.id)), SMALLEST_GIF);
});

// `tongxing backup` / `restore` as an operator runs them on embedded storage: refused while the
// service runs; once it is stopped, one gzip archive; restored into a new, empty data directory,
// the service started there signs in the account made before. Restore never overwrites a database
// and refuses what is not a backup.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTongxing } from '../helpers/service-process.ts';
import { lockDataDir } from '../../src/db/data-dir-lock.ts';

const root = new URL('../../', import.meta.url).pathname;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-backup-'));
  dirs.push(dir);
  return dir;
};
// As in production, the master secret comes from the environment, not from the data directory.
const SECRET_KEY = randomBytes(32).toString('base64');

async function command(args: string[], dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['bin/tongxing.js', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: dataDir, SECRET_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output };
}

const post = (url: string, body: object) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('backup refused while serving; after the stop, restored into a new directory, the account signs in there', async () => {
  const original = tempDir();
  const phone = '13700003333';
  const password = 'kept across the backup';

  const service = runTongxing(['serve'], { DATA_DIR: original, SECRET_KEY });
  const base = await service.url;
  assert.equal((await post(`${base}/api/v1/registrations/phone/code`, { phone })).status, 200);
  const outbox = (await (await fetch(`${base}/dev/outbox.json`)).json()) as Array<{ to: string; text: string }>;
  const code = /(\d{6})/.exec(outbox.find((m) => m.to === phone)!.text)![1];
  assert.equal((await post(`${base}/api/v1/registrations/phone`, { phone, code, password, agree: true })).status, 201);

  const archive = join(tempDir(), 'tongxing.tar.gz');
  const whileServing = await command(['backup', archive], original);
  assert.equal(whileServing.code, 1, whileServing.output);
  assert.match(whileServing.output, /in use by another Tongxing process/);
  assert.equal(existsSync(archive), false, 'no archive from a refused backup');

  service.child.kill('SIGTERM');
  assert.equal(await service.exit, 0);

  const backedUp = await command(['backup', archive], original);
  assert.equal(backedUp.code, 0, backedUp.output);
  assert.match(backedUp.output, /backed up .* to .*tongxing\.tar\.gz/);
  assert.equal(statSync(archive).mode & 0o777, 0o600, 'the archive holds personal data: private to its owner');
  assert.deepEqual([...readFileSync(archive).subarray(0, 2)], [0x1f, 0x8b], 'gzip');
  assert.deepEqual(
    readdirSync(join(archive, '..')).filter((f) => f.endsWith('.partial')),
    [],
  );

  const restoredDir = join(tempDir(), 'restored');
  const restored = await command(['restore', archive], restoredDir);
  assert.equal(restored.code, 0, restored.output);
  assert.match(restored.output, /restored .* into /);

  const again = await command(['restore', archive], restoredDir);
  assert.equal(again.code, 1);
  assert.match(again.output, /already holds a database; restore only into an empty DATA_DIR/);

  const there = runTongxing(['serve'], { DATA_DIR: restoredDir, SECRET_KEY });
  const base2 = await there.url;
  assert.equal((await fetch(`${base2}/readyz`)).status, 200);
  const session = await post(`${base2}/api/v1/sessions`, { username: phone, password });
  assert.equal(session.status, 201, 'the account made before the backup signs in on the restored copy');
  there.child.kill('SIGTERM');
  assert.equal(await there.exit, 0);
});

test('restore refuses a file that is not a backup and leaves the directory without a database', async () => {
  const junk = join(tempDir(), 'notes.txt');
  writeFileSync(junk, 'not an archive');
  const target = join(tempDir(), 'empty');
  const refused = await command(['restore', junk], target);
  assert.equal(refused.code, 1);
  assert.match(refused.output, /not a backup made by tongxing backup/);
  assert.equal(existsSync(join(target, 'pgdata')), false);
  const usage = await command(['backup'], target);
  assert.equal(usage.code, 2);
  assert.match(usage.output, /usage: tongxing backup FILE\.tar\.gz/);
});

test('restore refuses a data directory a service is starting in, and leaves the database it is making', async () => {
  // A real archive, from a directory a service made and left.
  const source = tempDir();
  const made = runTongxing(['serve'], { DATA_DIR: source, SECRET_KEY });
  assert.equal((await fetch(`${await made.url}/readyz`)).status, 200);
  made.child.kill('SIGTERM');
  assert.equal(await made.exit, 0);
  const archive = join(tempDir(), 'tongxing.tar.gz');
  assert.equal((await command(['backup', archive], source)).code, 0);

  // A service starting in the target holds the lock and has begun its database (here this test
  // process plays it, so the moment is not left to chance).
  const target = tempDir();
  const starting = lockDataDir(target);
  try {
    const begun = join(target, 'pgdata', 'PG_VERSION');
    mkdirSync(join(target, 'pgdata'));
    writeFileSync(begun, '17\n');
    const refused = await command(['restore', archive], target);
    assert.equal(refused.code, 1, refused.output);
    assert.match(refused.output, /is in use by another Tongxing process \(pid \d+/);
    assert.match(refused.output, /Nothing was restored and nothing in .* was changed/);
    assert.equal(readFileSync(begun, 'utf8'), '17\n', "the starting service's database is untouched");
    assert.deepEqual(readdirSync(join(target, 'pgdata')), ['PG_VERSION']);
  } finally {
    starting.release();
  }
});

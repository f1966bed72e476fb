// `tongxing client add --logo FILE` in a real process: a PNG is kept (cleaned) with the platform;
// a file that is not a PNG or JPEG is refused with the console's message and registers nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { makePng, SMALLEST_GIF } from '../helpers/images.ts';

const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tongxing-logo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['bin/tongxing.js', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', LOG_LEVEL: 'warn', DATA_DIR: join(dir, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output };
}

test('client add --logo: a PNG is kept, a GIF refused with nothing registered', async () => {
  const gif = join(dir, 'logo.gif');
  writeFileSync(gif, SMALLEST_GIF);
  const refused = await run(['client', 'add', '--name', '动图平台', '--redirect-uri', 'https://a.example.cn/cb', '--logo', gif]);
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /The logo must be a PNG or JPEG image/);
  const png = join(dir, 'logo.png');
  writeFileSync(png, makePng(8, 8));
  const added = await run(['client', 'add', '--name', '标志平台', '--redirect-uri', 'https://b.example.cn/cb', '--logo', png]);
  assert.equal(added.code, 0, added.output);
  assert.match(added.output, /client_id=tx_/);
  const listed = await run(['client', 'list']);
  assert.match(listed.output, /标志平台/);
  assert.doesNotMatch(listed.output, /动图平台/);
});

// The operator's commands in real processes on a real data directory: `records import` (report of
// rejected lines, exit 3 when some were rejected, idempotent re-import), `review` (queue, usage),
// and `help` (also on a Node.js too old to run the rest: a clear message, not a SyntaxError).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { mod11_2 } from '../../src/identity/id-numbers/index.ts';

const root = new URL('../../', import.meta.url).pathname;
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-cli-'));
  dirs.push(dir);
  return dir;
}

async function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['bin/tongxing.js', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, output };
}

const id = (seq: number) => {
  const body = `51010719990909${String(seq).padStart(3, '0')}`;
  return `${body}${mod11_2(body)}`;
};

test('records import: a report of rejected lines, exit 3, and the same result when run again', async () => {
  const dataDir = tempDir();
  const file = join(tempDir(), 'records.csv');
  writeFileSync(
    file,
    [
      'kind,school,number,year,level,name,id_type,id_number',
      `学籍,四川大学,2017141001,2017,本科,蒋一,,${id(1)}`,
      `学历,四川大学,1061020210001,2021,本科,蒋一,,${id(1)}`,
      `学籍,四川大学,2017141002,17,本科,沈二,,${id(2)}`,
      `学籍,电子科技大学,2018001,2018,硕士,韩三,,${id(3)}`,
      `学籍,电子科技大学,2018002,2018,博士后,杨四,,${id(4)}`,
    ].join('\n'),
  );
  const first = await run(['records', 'import', file], { DATA_DIR: dataDir });
  assert.equal(first.code, 3, first.output);
  assert.match(first.output, /imported 3 records from 5 lines .* rejected 2/);
  // The sample and the report are in zh-CN words, as operators read them.
  assert.match(first.output, /line 4: 年份“17”无效，应为 1950 至 \d{4} 之间的 4 位数字/);
  assert.match(first.output, /line 6: 学历层次“博士后”无法识别/);
  const report = readFileSync(`${file}.rejected.csv`, 'utf8');
  assert.match(report, /^line,reason\n4,"年份“17”无效，[^"\n]+"\n6,"学历层次“博士后”无法识别，[^"\n]+"\n$/);
  assert.equal(report.trim().split('\n').length, 3);

  const again = await run(['records', 'import', file, '--rejected', join(tempDir(), 'again.csv')], { DATA_DIR: dataDir });
  assert.equal(again.code, 3);
  assert.match(again.output, /imported 3 records/);

  // A GBK file (学籍,四川大学 as Excel on Chinese Windows saves it) is refused before anything is read in.
  const gbk = join(tempDir(), 'gbk.csv');
  writeFileSync(
    gbk,
    Buffer.concat([
      Buffer.from('kind,school,number,year,level,name,id_type,id_number\n'),
      Buffer.from([0xd1, 0xa7, 0xbc, 0xae, 0x2c, 0xcb, 0xc4, 0xb4, 0xa8, 0xb4, 0xf3, 0xd1, 0xa7]),
      Buffer.from(`,2017141009,2017,本科,x,,${id(9)}\n`),
    ]),
  );
  const refused = await run(['records', 'import', gbk], { DATA_DIR: dataDir });
  assert.equal(refused.code, 1, refused.output);
  assert.match(refused.output, /文件不是 UTF-8 编码。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”/);
  assert.doesNotMatch(refused.output, /imported/);
});

test('review: the queue when empty, usage when the reviewer is not named, refused for a name that is no reviewer', async () => {
  const dataDir = tempDir();
  const list = await run(['review', 'list'], { DATA_DIR: dataDir });
  assert.equal(list.code, 0, list.output);
  assert.match(list.output, /no photo reviews are waiting/);
  const claim = await run(['review', 'claim', '00000000-0000-0000-0000-000000000000'], { DATA_DIR: dataDir });
  assert.equal(claim.code, 2);
  assert.match(claim.output, /usage: tongxing review/);
  const stranger = await run(['review', 'approve', '00000000-0000-0000-0000-000000000000', '--staff', 'reviewer.wang'], { DATA_DIR: dataDir });
  assert.equal(stranger.code, 1);
  assert.match(stranger.output, /no active staff account with the reviewer role/);
  const created = await run(['admin', 'create', '--username', 'reviewer.wang', '--name', '王审', '--roles', 'reviewer'], { DATA_DIR: dataDir });
  assert.equal(created.code, 0, created.output);
  assert.match(created.output, /first password \(shown once\): \S{24}/);
  const listed = await run(['admin', 'list'], { DATA_DIR: dataDir });
  assert.match(listed.output, /reviewer\.wang\s+王审\s+reviewer\s+active\s+totp=not yet/);
  const missing = await run(['review', 'approve', '00000000-0000-0000-0000-000000000000', '--staff', 'reviewer.wang'], { DATA_DIR: dataDir });
  assert.equal(missing.code, 1);
  assert.match(missing.output, /请先认领该审核|没有这条审核/);
});

test('client add registers a platform and shows its secret once; sso rotate-key adds a signing key', async () => {
  const dataDir = tempDir();
  const bad = await run(['client', 'add', '--name', '学籍档案', '--redirect-uri', 'http://platform.example.edu.cn/cb'], { DATA_DIR: dataDir });
  assert.equal(bad.code, 1, 'plain http is refused outside 127.0.0.1');
  assert.match(bad.output, /must use https/);
  const added = await run(
    [
      'client',
      'add',
      '--name',
      '学籍档案',
      '--redirect-uri',
      'https://platform.example.edu.cn/cb',
      '--require-realname',
      '--scopes',
      'profile,realname',
      '--id-number',
      'masked',
    ],
    { DATA_DIR: dataDir },
  );
  assert.equal(added.code, 0, added.output);
  const clientId = /client_id=(tx_\S+)/.exec(added.output)?.[1];
  assert.ok(clientId && /client_secret=\S{43}/.test(added.output));
  const list = await run(['client', 'list'], { DATA_DIR: dataDir });
  assert.match(list.output, new RegExp(`${clientId}  学籍档案  scopes=openid,profile,realname,idnumber  realname=required  id_number=masked`));
  assert.doesNotMatch(list.output, /client_secret/, 'the secret is never shown again');
  const deliveries = await run(['client', 'deliveries', clientId!], { DATA_DIR: dataDir });
  assert.match(deliveries.output, /nothing has been sent to this platform/);
  const rotated = await run(['sso', 'rotate-key'], { DATA_DIR: dataDir });
  assert.equal(rotated.code, 0, rotated.output);
  assert.match(rotated.output, /new signing key \d{4}-\d{2}-\d{2}-[0-9a-f]{8}/);
  // A retirement age that is not whole days, at least one, is refused before anything changes.
  for (const days of ['0', '0.5', 'seven', '-1']) {
    const refused = await run(['sso', 'rotate-key', '--retire-older-than', days], { DATA_DIR: dataDir });
    assert.equal(refused.code, 2, refused.output);
    assert.match(refused.output, new RegExp(`--retire-older-than takes a whole number of days, at least 1 \\(got "${days}"\\); nothing was changed`));
    assert.doesNotMatch(refused.output, /new signing key/);
  }
  const missing = await run(['sso', 'rotate-key', '--retire-older-than'], { DATA_DIR: dataDir });
  assert.equal(missing.code, 2, missing.output);
  assert.match(missing.output, /\(got nothing\); nothing was changed/);
  // Right after a rotation the older key still signs: a day's retirement leaves every key.
  const retiring = await run(['sso', 'rotate-key', '--retire-older-than', '1'], { DATA_DIR: dataDir });
  assert.equal(retiring.code, 0, retiring.output);
  assert.match(retiring.output, /retired 0 keys replaced over 1 days ago \(the key signing now stays\)/);
});

test('help prints the commands; an unknown command prints them and exits 2', async () => {
  const help = await run(['help'], {});
  assert.equal(help.code, 0, help.output);
  assert.match(help.output, /usage: tongxing <command>/);
  assert.match(help.output, /serve +start the service/);
  const unknown = await run(['frobnicate'], {});
  assert.equal(unknown.code, 2);
  assert.match(unknown.output, /unknown command: frobnicate/);
});

// A direct `node bin/tongxing.js` finds the machine's own Node (Debian's, older than the
// project's). Where there is one it is used as is; the project's Node is also run told it is 20
// (a preload rewrites process.versions.node), so the check is exercised on every machine.
const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
  if (!existsSync(path)) return false;
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return Number(/^v(\d+)/.exec(version)?.[1] ?? 99) < 24;
});
const PRETEND_NODE_20 = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.20.2"})';

test('on an older Node.js the command says which Node it needs and how to run it', () => {
  const runs = [
    spawnSync(process.execPath, ['--import', PRETEND_NODE_20, 'bin/tongxing.js', 'help'], { cwd: root, encoding: 'utf8' }),
    ...(systemNode ? [spawnSync(systemNode, ['bin/tongxing.js', 'help'], { cwd: root, encoding: 'utf8' })] : []),
  ];
  for (const old of runs) {
    assert.equal(old.status, 1, old.stderr);
    assert.match(old.stderr, /^Tongxing needs Node\.js 24 or newer \(this is \d+\.\d+\.\d+\); run it with npm start \/ npx tongxing/);
    assert.doesNotMatch(old.stderr, /SyntaxError/);
  }
});

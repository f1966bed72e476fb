// The export's ZIP writer, read back by real tools: Python's zipfile (each CRC-32 checked) and
// Info-ZIP's unzip (listing and integrity test). Names in UTF-8, text and binary entries, an
// empty entry, and data that deflate cannot shrink all come back byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeZip } from '../../src/privacy-export/zip.ts';
import { unzipCommand, unzipWithPython } from '../helpers/zip.ts';

const at = new Date('2026-12-03T09:30:44Z');
const random = randomBytes(70_000);
const entries = [
  { name: 'index.html', data: `<!doctype html><h1>通行个人信息副本</h1>${'<p>重复的段落</p>'.repeat(500)}` },
  { name: '实名信息.json', data: JSON.stringify({ name: '张三', id_number: '110101********1234' }) },
  { name: 'empty.json', data: '' },
  { name: 'random.bin', data: random },
];

test('python zipfile reads back every entry byte for byte, CRCs checked', () => {
  const zip = writeZip(entries, at);
  const read = unzipWithPython(zip);
  assert.deepEqual(
    [...read.keys()],
    entries.map((e) => e.name),
  );
  for (const entry of entries) assert.ok(read.get(entry.name)!.equals(Buffer.from(entry.data)), entry.name);
  assert.ok(writeZip([entries[0]!], at).length < Buffer.byteLength(entries[0]!.data) / 10, 'the repetitive page is deflated');
});

test('unzip lists the entries with their sizes and dates, and its test passes', () => {
  const { list, test: verdict } = unzipCommand(writeZip(entries, at));
  // (How unzip prints a UTF-8 name depends on its build and locale; zipfile above checks the names.)
  assert.match(list, /\b70000\s+2026-12-03 09:30\s+random\.bin/);
  assert.match(list, /\b0\s+2026-12-03 09:30\s+empty\.json/);
  assert.match(list, /4 files/);
  assert.match(verdict, /No errors detected/);
});

test('an archive with no entries is still a valid ZIP', () => {
  assert.equal(unzipWithPython(writeZip([], at)).size, 0);
});

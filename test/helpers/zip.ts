// Reads a ZIP with a real tool, not with our own writer's idea of the format: Python's zipfile
// (which checks every entry's CRC-32 as it reads) and, where it is installed, Info-ZIP's unzip.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READ = `
import base64, json, sys, zipfile, io
z = zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))
bad = z.testzip()
if bad is not None: raise SystemExit('bad CRC in ' + bad)
print(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist()}))
`;

/** Every entry of the archive by name (in the archive's order), as Python's zipfile reads it. */
export function unzipWithPython(zip: Buffer): Map<string, Buffer> {
  const out = execFileSync('python3', ['-c', READ], { input: zip, maxBuffer: 64 * 1024 * 1024 });
  const entries = JSON.parse(out.toString('utf8')) as Record<string, string>;
  return new Map(Object.entries(entries).map(([name, data]) => [name, Buffer.from(data, 'base64')]));
}

/** `unzip -l` and `unzip -t` on the archive: the listing, and the test's verdict. */
export function unzipCommand(zip: Buffer): { list: string; test: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tongxing-zip-'));
  try {
    const file = join(dir, 'archive.zip');
    writeFileSync(file, zip);
    return { list: execFileSync('unzip', ['-l', file]).toString('utf8'), test: execFileSync('unzip', ['-t', file]).toString('utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Node strips TypeScript types natively but does not understand JSX. This in-thread hook
// compiles only .tsx files (our server-rendered views) with esbuild, so every other file still
// runs exactly as written. Loaded with `node --import ./src/loader/register.js`.
// Compiled views are cached on disk by content hash: a warm start never loads esbuild, which
// would otherwise keep ~24 MB and a helper process alive for the life of the service.
import { registerHooks, createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/tongxing-jsx/', import.meta.url));
const require = createRequire(import.meta.url);
let esbuild;

function compile(file, source) {
  const key = createHash('sha256').update(file).update('\0').update(source).digest('hex');
  const cached = join(cacheDir, `${key}.js`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // not compiled yet
  }
  esbuild ??= require('esbuild');
  const { code } = esbuild.transformSync(source, {
    loader: 'tsx',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    format: 'esm',
    sourcemap: 'inline',
    sourcefile: file,
    target: 'node24',
  });
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, cached); // atomic: a concurrent reader sees all or nothing
  } catch {
    // a read-only install still works, it just compiles at every start
  }
  return code;
}

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.tsx')) return nextLoad(url, context);
    const file = fileURLToPath(url);
    return { format: 'module', source: compile(file, readFileSync(file, 'utf8')), shortCircuit: true };
  },
});

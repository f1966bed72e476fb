// Node strips TypeScript types natively but does not understand JSX. This in-thread hook
// compiles only .tsx files (our server-rendered views) with esbuild, so every other file still
// runs exactly as written. Loaded with `node --import ./src/loader/register.js`.
import { registerHooks } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.tsx')) return nextLoad(url, context);
    const file = fileURLToPath(url);
    const { code } = transformSync(readFileSync(file, 'utf8'), {
      loader: 'tsx',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      format: 'esm',
      sourcemap: 'inline',
      sourcefile: file,
      target: 'node24',
    });
    return { format: 'module', source: code, shortCircuit: true };
  },
});

// @simplewebauthn/browser's bundle, served from our own origin (the pages' CSP allows scripts from
// 'self' only), as installed: the ceremonies' browser half (public/passkeys.js) calls it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

export const PASSKEY_SCRIPTS = ['/static/simplewebauthn/browser.js', '/static/passkeys.js'] as const;

// The package exports only its ESM entry (esm/index.js); the bundle sits beside it in dist/.
const bundle = join(dirname(fileURLToPath(import.meta.resolve('@simplewebauthn/browser'))), '..', 'dist', 'bundle', 'index.umd.min.js');

export function registerPasskeyAssets(app: FastifyInstance): void {
  const body = readFileSync(bundle);
  app.get(PASSKEY_SCRIPTS[0], async (_request, reply) =>
    reply.header('content-type', 'text/javascript; charset=utf-8').header('cache-control', 'public, max-age=86400').send(body),
  );
}

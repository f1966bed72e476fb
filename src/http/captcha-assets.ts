// The proof-of-work widget's files, served from the altcha package as installed (its strict-CSP
// build: no inline styles or scripts, workers from our own origin): the element, its stylesheet,
// and the PBKDF2 worker. Read once at start; cached by browsers for a day.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const external = dirname(fileURLToPath(import.meta.resolve('altcha/external')));

const ASSETS = {
  '/static/altcha/altcha.js': { file: join(external, 'altcha.min.js'), type: 'text/javascript; charset=utf-8' },
  '/static/altcha/altcha.css': { file: join(external, 'altcha.css'), type: 'text/css; charset=utf-8' },
  '/static/altcha/pbkdf2.js': { file: join(external, '..', 'workers', 'pbkdf2.js'), type: 'text/javascript; charset=utf-8' },
} as const;

export function registerCaptchaAssets(app: FastifyInstance): void {
  for (const [path, asset] of Object.entries(ASSETS)) {
    const body = readFileSync(asset.file);
    app.get(path, async (_request, reply) => reply.header('content-type', asset.type).header('cache-control', 'public, max-age=86400').send(body));
  }
}

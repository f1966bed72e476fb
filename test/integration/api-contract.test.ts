// The OpenAPI document is a contract, not a sketch: it validates against the official OAS schema,
// names every /api route the app serves (a new one cannot stay undocumented), says for every
// operation what it answers and how it authenticates, and the committed client types are exactly
// what it generates (`npm run api:types`), so the typed client the API tests use cannot drift.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import Fastify from 'fastify';
import { z } from 'zod';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { apiDoc, registerOpenApi } from '../../src/http/openapi.ts';
import { API_TYPES_FILE, apiTypesOf } from '../../scripts/api-types.ts';

interface Operation {
  summary?: string;
  security?: Array<Record<string, string[]>>;
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: { $ref?: string } }> }>;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

let t: TestInstance;
let doc: Document;
before(async () => {
  t = await getTestInstance();
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  assert.equal(res.statusCode, 200);
  doc = res.json() as Document;
});
after(() => t.close());

const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

test('the served document validates against the OpenAPI 3.0 schema', async () => {
  assert.match(doc.openapi, /^3\.0\./);
  const result = await new Validator().validate(structuredClone(doc) as never);
  assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1));
});

test('every /api route the app serves is in the document, and nothing else is', () => {
  const served = t.app.routeList
    .filter((r) => r.url.startsWith('/api/') && r.url !== '/api/openapi.json')
    .map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`)
    .sort();
  const documented = operations()
    .map(({ path, method }) => `${method} ${path}`)
    .sort();
  assert.ok(served.length > 15, `the app serves ${served.length} API operations`);
  assert.deepEqual(documented, served);
});

test('every operation says what it answers, with the one error shape, and how it authenticates', () => {
  const error = { $ref: '#/components/schemas/Error' };
  assert.deepEqual(Object.keys(doc.components.schemas), ['Error']);
  assert.deepEqual(doc.components.securitySchemes, {
    session: { type: 'http', scheme: 'bearer', description: 'The session token of a registration or sign-in answer' },
  });
  for (const { path, method, op } of operations()) {
    const name = `${method} ${path}`;
    assert.ok(op.summary, `${name}: a summary`);
    assert.ok(Array.isArray(op.security), `${name}: its security`);
    const statuses = Object.keys(op.responses);
    const success = statuses.filter((s) => s.startsWith('2'));
    assert.equal(success.length, 1, `${name}: one success answer`);
    for (const status of success) {
      if (status === '204') assert.equal(op.responses[status]!.content, undefined, `${name}: 204 has no body`);
      else assert.ok(op.responses[status]!.content?.['application/json']?.schema, `${name}: ${status} has a body schema`);
    }
    for (const status of statuses.filter((s) => !s.startsWith('2'))) {
      assert.deepEqual(op.responses[status]!.content?.['application/json']?.schema, error, `${name}: ${status} is an Error`);
    }
    assert.ok(statuses.includes('400') && statuses.includes('500'), name);
    assert.ok(statuses.includes('415'), `${name}: a body that is not JSON answers 415`);
    const needsSession = op.security!.some((s) => 'session' in s);
    if (needsSession) assert.ok(statuses.includes('401'), `${name}: 401 when its session is missing or stale`);
  }
  // The ones anyone may call, and only those.
  const open = operations()
    .filter(({ op }) => op.security!.length === 0)
    .map(({ path, method }) => `${method} ${path}`)
    .sort();
  assert.deepEqual(open, [
    'get /api/v1/legal',
    'post /api/v1/activations',
    'post /api/v1/captchas',
    'post /api/v1/registrations/email',
    'post /api/v1/registrations/email/resend',
    'post /api/v1/registrations/phone',
    'post /api/v1/registrations/phone/code',
    'post /api/v1/sessions',
    'post /api/v1/sessions/second-factor',
  ]);
});

test('the committed client types are what the served document generates (npm run api:types)', async () => {
  const committed = readFileSync(API_TYPES_FILE, 'utf8');
  assert.equal(committed, await apiTypesOf(doc), 'test/helpers/api-types.ts is stale: run `npm run api:types` and commit it');
});

// Response schemas serialise (fast-json-stringify drops what they do not name). Outside production
// an answer with an undocumented field or status fails instead, so every API test — which between
// them call every route — would catch a field or status the document forgot.
test('an answer with a field or a status its schema does not name fails outside production', async () => {
  const answer = z.object({ kept: z.string(), nested: z.object({ known: z.number() }) });
  const build = async (strictResponses: boolean) => {
    const app = Fastify();
    app.setErrorHandler(async (error: Error, _request, reply) => reply.status(500).send({ error: { code: 'probe.failed', message: error.message } }));
    await registerOpenApi(app, '0.0.0', { strictResponses });
    app.get('/api/v1/probe', apiDoc({ summary: 'probe', security: 'none', responses: { 200: answer } }), async () => ({
      kept: 'yes',
      nested: { known: 1, forgotten: 'in nested' },
      forgotten: 'at the top',
    }));
    app.get('/api/v1/teapot', apiDoc({ summary: 'teapot', security: 'none', responses: { 200: answer } }), async (_request, reply) =>
      reply.status(409).send({ error: { code: 'x', message: 'a status it does not declare' } }),
    );
    await app.ready();
    return app;
  };
  const strict = await build(true);
  const refused = await strict.inject({ method: 'GET', url: '/api/v1/probe' });
  assert.equal(refused.statusCode, 500);
  assert.match(refused.json().error.message, /answered fields its response schema lacks: nested\.forgotten, forgotten/);
  const teapot = await strict.inject({ method: 'GET', url: '/api/v1/teapot' });
  assert.equal(teapot.statusCode, 500);
  assert.match(teapot.json().error.message, /answered 409, which its schema does not declare/);
  await strict.close();
  // What production would do without the check: the field is silently gone.
  const lax = await build(false);
  assert.deepEqual((await lax.inject({ method: 'GET', url: '/api/v1/probe' })).json(), { kept: 'yes', nested: { known: 1 } });
  await lax.close();
});

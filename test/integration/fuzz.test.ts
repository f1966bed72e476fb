// Every route the app serves (app.routeList), as a person, a signed-in person and a staff member,
// with bodies no form would send: wrong types, huge strings, NUL characters, broken multipart,
// prototype names in the path. Whatever comes in, the answer is never a 5xx. Bounded: a fixed
// seed and a fixed number of tries per route, so the run takes seconds and repeats.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import type { Agent } from '../helpers/agent.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { defaultLimitPolicy, type LimitPolicy, type LimitRule } from '../../src/security/rate-limits.ts';

// Limits would answer 429 after a few tries and the fuzz would stop reaching the routes' code.
const unlimited = Object.fromEntries(
  Object.entries(defaultLimitPolicy).map(([name, rule]: [string, LimitRule]) => [name, { points: 1_000_000, durationSeconds: rule.durationSeconds }]),
) as LimitPolicy;

let t: TestInstance;
let person: Agent;
let staff: Agent;
before(async () => {
  t = await getTestInstance({ limits: unlimited });
  person = (await t.registerPhone()).agent;
  staff = await signInStaff(t, await createStaff(t, 'fuzz.admin', ['admin']));
});
after(() => t.close());

const PARAMS = ['constructor', '__proto__', '..%2F..%2Fetc', '00000000-0000-0000-0000-000000000000', 'x'.repeat(300), '%E4%BD%A0%00', '1'];
const nasty = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('\u0000', 'a\u0000b', '%00', '<script>alert(1)</script>', "' or 1=1 --", '𠀀'.repeat(50), 'x'.repeat(70_000), '-1', '1e309', 'null'),
);
const jsonValue = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.dictionary(nasty, nasty, { maxKeys: 3 }),
);
const FIELDS = ['phone', 'email', 'code', 'password', 'password2', 'username', 'name', 'idType', 'idNumber', 'reason', 'q', 'token', 'field', 'to', 'school'];
const body = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), nasty), jsonValue, { maxKeys: 6 });

type Try = { kind: 'form' | 'json' | 'multipart' | 'cut-file' | 'unbounded' | 'liar' | 'empty'; fields: Record<string, unknown>; params: string[] };

/** What one try sends: a form, JSON, broken multipart, or a body that says one thing and is another. */
const request: fc.Arbitrary<Try> = fc.record({
  kind: fc.constantFrom('form' as const, 'json' as const, 'multipart' as const, 'cut-file' as const, 'unbounded' as const, 'liar' as const, 'empty' as const),
  fields: body,
  params: fc.array(fc.constantFrom(...PARAMS), { minLength: 3, maxLength: 3 }),
});

function formOf(fields: Record<string, unknown>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) out.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  return out.toString();
}

async function send(agent: Agent | undefined, method: string, url: string, r: Try) {
  let i = 0;
  const path = url.replace(/:[A-Za-z]+/g, () => r.params[i++ % r.params.length]!).replace(/\*$/, r.params[0]!);
  const headers: Record<string, string> = {};
  let payload: string | Buffer | undefined;
  const fields = { ...r.fields, ...(agent?.csrf ? { _csrf: agent.csrf } : {}) };
  if (method !== 'GET' && method !== 'DELETE') {
    if (r.kind === 'form') [headers['content-type'], payload] = ['application/x-www-form-urlencoded', formOf(fields)];
    if (r.kind === 'json') [headers['content-type'], payload] = ['application/json', JSON.stringify(fields)];
    if (r.kind === 'multipart')
      [headers['content-type'], payload] = ['multipart/form-data; boundary=zz', `--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\n${formOf(fields)}`];
    // A file part whose body ends before its closing boundary (an upload cut off).
    if (r.kind === 'cut-file')
      [headers['content-type'], payload] = [
        'multipart/form-data; boundary=zz',
        `--zz\r\nContent-Disposition: form-data; name="photo"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n${formOf(fields)}`,
      ];
    if (r.kind === 'unbounded') [headers['content-type'], payload] = ['multipart/form-data', formOf(fields)];
    if (r.kind === 'liar') [headers['content-type'], payload] = ['application/json', `{"a": ${formOf(fields)}`];
  }
  if (agent?.cookies.size) headers.cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (r.kind === 'json' && agent === person && path.startsWith('/api/')) headers.authorization = 'Bearer not-a-token';
  const query = method === 'GET' ? `?${formOf(r.fields)}` : '';
  return t.app.inject({ method: method as 'GET', url: `${path}${query}`, headers, ...(payload !== undefined ? { payload } : {}) });
}

test('no route answers 5xx to what no form sends, for anyone', async () => {
  const routes = t.app.routeList.filter((r) => !r.url.startsWith('/static/'));
  assert.ok(routes.length > 80, `${routes.length} routes listed`);
  const failures: string[] = [];
  for (const route of routes) {
    for (const agent of [undefined, person, staff]) {
      // Signing out would end the session the rest of the walk needs.
      if (agent && /\/logout$/.test(route.url)) continue;
      // A real id first and a prototype name after it reaches dispatch tables keyed by the later part.
      const fixed: Try[] = ['constructor', '__proto__', 'toString'].map((name) => ({
        kind: 'form',
        fields: { reason: '核实本人身份后处理', field: 'phone', to: 'phone' },
        params: [PARAMS[3]!, name, name],
      }));
      // Every route once with an upload cut off mid-file (seen as 500s on every POST).
      fixed.push({ kind: 'cut-file', fields: { a: 'b' }, params: [PARAMS[3]!] });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const res = await send(agent, route.method, route.url, r);
          if (res.statusCode >= 500)
            failures.push(
              `${res.statusCode} ${route.method} ${route.url} as ${agent === person ? 'person' : agent === staff ? 'staff' : 'anyone'}: ${JSON.stringify(r).slice(0, 300)} → ${res.body.slice(0, 200)}`,
            );
          return true;
        }),
        { numRuns: 10, seed: 20261201, endOnFailure: true, examples: fixed.map((f) => [f] as [Try]) },
      );
    }
  }
  assert.deepEqual(failures.slice(0, 10), []);
});

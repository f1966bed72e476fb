// The OpenAPI 3.0 description of /api/v1, produced by @fastify/swagger from the route schemas.
// Request and response bodies come from zod schemas beside the routes (z.toJSONSchema with the
// openapi-3.0 target: OpenAPI 3.0 allows only a subset of JSON Schema, and its tools — the
// validator, openapi-typescript 6 — read 3.0 best). Fastify's validation is off for these
// schemas because zod already gives localised messages; the response schemas do serialise
// (fast-json-stringify drops what they do not name), so outside production an answer with an
// undocumented field, or a status the schema does not declare, fails loudly (a 500) instead.
import type { FastifyInstance, FastifyRequest, RouteShorthandOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { z } from 'zod';

/** Every /api error: one shape. `fields` maps a field to its message; `captchaRequired` after sign-in failures. */
export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'A stable message key, e.g. phone.invalid' },
        message: { type: 'string', description: 'The message in the requested language' },
        fields: { type: 'object', additionalProperties: { type: 'string' }, description: 'Field name → its message' },
        captchaRequired: { type: 'boolean', description: 'Sign-in: the next attempt needs a captcha (POST /api/v1/captchas)' },
        secondFactor: {
          type: 'object',
          required: ['pendingToken', 'expiresAt'],
          properties: { pendingToken: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
          description: 'Sign-in (mfa.required): send this token and a code to POST /api/v1/sessions/second-factor before it expires',
        },
        deregistration: {
          type: 'object',
          required: ['dueAt', 'cancel', 'accountId', 'session', 'consentDue'],
          properties: {
            dueAt: { type: 'string', format: 'date-time' },
            cancel: { type: 'string', description: 'The path to POST (with session.token) to cancel the deregistration' },
            accountId: { type: 'string', format: 'uuid' },
            session: {
              type: 'object',
              required: ['token', 'expiresAt'],
              properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
            },
            consentDue: {
              type: 'boolean',
              description: 'After cancelling, the session still waits on a new user agreement or policy (POST /api/v1/account/consents)',
            },
          },
          description:
            'Sign-in (leaving.cooling_off): the password was right but the account asked to be deregistered and is cooling off until dueAt; the session is live: cancel with it, or sign it out',
        },
      },
    },
  },
} as const;

type SuccessStatus = 200 | 201 | 202 | 204;
/**
 * 400, 413, 415, 500 and 503 come with every operation, 401 and 403 with a session (403
 * `consent.due` while new documents wait to be agreed to): list the others (401 too where an open
 * operation answers it).
 */
type ErrorStatus = 401 | 403 | 404 | 409 | 410 | 429;

const SUCCESS_MEANING: Record<string, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: it will happen (a message is on its way)',
  204: 'Done; no content',
};
const ERROR_MEANING: Record<number, string> = {
  400: 'Malformed JSON, or fields that are not valid (error.fields names each)',
  401: 'No live session, or (for what needs a fresh sign-in) sign in again for a new token',
  403: 'Not allowed for this account; `consent.due`: agree to the new user agreement or policy first (POST /api/v1/account/consents)',
  404: 'Not found',
  409: 'Not possible in the current state',
  410: 'The token or link has expired or was used',
  413: 'The body is too large',
  415: 'The body is not application/json',
  429: 'Too many requests: try again after Retry-After seconds',
  500: 'The service failed',
  503: 'The service cannot reach its database just now: try again after Retry-After seconds',
};

export interface ApiOperation {
  summary: string;
  /** `session`: a Bearer session token in the Authorization header (cookies are never read); `none`: anyone. */
  security: 'session' | 'none';
  body?: z.ZodType;
  params?: z.ZodObject;
  /** The success answers: their body schema, or null for none. */
  responses: Partial<Record<SuccessStatus, z.ZodType | null>>;
  errors?: ErrorStatus[];
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });

export function apiDoc(op: ApiOperation): RouteShorthandOptions {
  const response: Record<string, unknown> = {};
  for (const [status, body] of Object.entries(op.responses)) {
    response[status] = body ? { description: SUCCESS_MEANING[status], ...jsonSchema(body, 'output') } : { description: SUCCESS_MEANING[status], type: 'null' };
  }
  // Any request may carry a body, so any may be refused as too large or not JSON (input-guards.ts).
  const errors = new Set<number>([400, 413, 415, ...(op.security === 'session' ? [401, 403] : []), ...(op.errors ?? []), 500, 503]);
  for (const status of [...errors].sort()) response[status] = { description: ERROR_MEANING[status], $ref: 'Error#' };
  const schema: Record<string, unknown> = { summary: op.summary, tags: ['v1'], response };
  if (op.security === 'session') schema.security = [{ session: [] }];
  else schema.security = [];
  if (op.body) schema.body = jsonSchema(op.body, 'input');
  if (op.params) schema.params = jsonSchema(op.params, 'input');
  return { schema, validatorCompiler: () => () => true } as RouteShorthandOptions;
}

export async function registerOpenApi(app: FastifyInstance, version: string, options: { strictResponses: boolean }): Promise<void> {
  app.addSchema(ERROR_SCHEMA);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Tongxing API', version, description: 'Accounts, sessions and registration for the Tongxing identity service.' },
      components: { securitySchemes: { session: { type: 'http', scheme: 'bearer', description: 'The session token of a registration or sign-in answer' } } },
    },
    // Shared schemas keep their $id as their component name (#/components/schemas/Error).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    hideUntagged: true,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  if (options.strictResponses) {
    app.addHook('preSerialization', async (request, reply, payload) => {
      const declared = request.routeOptions.schema?.response as Record<string, unknown> | undefined;
      if (request.url.startsWith('/api/') && declared && !(String(reply.statusCode) in declared)) {
        throw new Error(`${request.method} ${request.url} answered ${reply.statusCode}, which its schema does not declare`);
      }
      const undocumented = undocumentedFields(request, reply.statusCode, payload);
      if (undocumented.length) throw new Error(`${request.method} ${request.url} answered fields its response schema lacks: ${undocumented.join(', ')}`);
      return payload;
    });
  }
}

type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

function undocumentedFields(request: FastifyRequest, status: number, payload: unknown): string[] {
  if (!request.url.startsWith('/api/')) return [];
  const responses = request.routeOptions.schema?.response as Record<string, Schema> | undefined;
  const schema = responses?.[String(status)];
  if (!schema) return [];
  const resolve = (s: Schema): Schema => (s.$ref ? (request.server.getSchema(s.$ref.replace(/#$/, '')) as Schema) : s);
  const out: string[] = [];
  walk(resolve, schema, JSON.parse(JSON.stringify(payload ?? null)) as unknown, '', out);
  return out;
}

/** Paths in `value` that `schema` does not name (so fast-json-stringify would drop them). */
function walk(resolve: (s: Schema) => Schema, raw: Schema, value: unknown, path: string, out: string[]): void {
  const schema = resolve(raw);
  // An empty schema ({}) allows anything, and fast-json-stringify writes it whole.
  if (Object.keys(schema).every((k) => k === 'description' || k === 'nullable')) return;
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])].map(resolve);
  if (Array.isArray(value)) {
    const items = schema.items ?? branches.find((b) => b.items)?.items;
    if (items) value.forEach((v, i) => walk(resolve, items, v, `${path}[${i}]`, out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const props: Record<string, Schema> = { ...schema.properties };
  for (const b of branches) Object.assign(props, b.properties);
  const extra = schema.additionalProperties;
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (props[key]) walk(resolve, props[key], v, at, out);
    else if (extra && typeof extra === 'object') walk(resolve, extra, v, at, out);
    else if (extra !== true) out.push(at);
  }
}

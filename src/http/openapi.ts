// The OpenAPI description of /api/v1, produced by @fastify/swagger from the route schemas. Body
// schemas come from the same zod schemas the routes validate with (z.toJSONSchema); Fastify's
// own validation is switched off for them because zod already gives localised messages.
import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { z } from 'zod';

export function apiDoc(summary: string, body?: z.ZodType): RouteShorthandOptions {
  const schema: Record<string, unknown> = { summary, tags: ['v1'] };
  if (body) schema.body = z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' });
  return { schema, validatorCompiler: () => () => true } as RouteShorthandOptions;
}

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Tongxing API', version, description: 'Accounts, sessions and registration for the Tongxing identity service.' },
      components: { securitySchemes: { session: { type: 'http', scheme: 'bearer' } } },
    },
    hideUntagged: true,
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

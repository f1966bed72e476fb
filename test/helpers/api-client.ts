// The API as a program sees it: an openapi-fetch client typed by the committed OpenAPI types
// (api-types.ts, from `npm run api:types`), calling the app in-process through inject. A request
// or answer the document does not describe does not compile.
import createClient from 'openapi-fetch';
import type { FastifyInstance } from 'fastify';
import type { paths } from './api-types.ts';

export interface ApiClientOptions {
  ip?: string;
  token?: string;
  headers?: Record<string, string>;
}

export function apiClient(app: FastifyInstance, options: ApiClientOptions = {}) {
  const fetchViaInject: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const res = await app.inject({
      method: request.method as 'GET',
      url: new URL(request.url).pathname + new URL(request.url).search,
      headers: Object.fromEntries(request.headers),
      remoteAddress: options.ip ?? '203.0.113.50',
      ...(body?.length ? { payload: body } : {}),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers.set(name, String(value));
    return new Response(res.statusCode === 204 ? null : res.body, { status: res.statusCode, headers });
  };
  return createClient<paths>({
    baseUrl: 'http://127.0.0.1:8080',
    fetch: fetchViaInject,
    headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
  });
}

export type ApiClient = ReturnType<typeof apiClient>;

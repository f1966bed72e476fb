// Messages between the bench (parent, load generator) and the service it measures (child
// process, bench/server.ts), over Node's IPC channel. Kept in one place so both sides agree.

export type Storage = 'pglite' | 'postgres';

/** parent → child */
export type Command =
  | { id: number; kind: 'seed'; count: number; phonePrefix: string; password: string }
  | { id: number; kind: 'codes'; phones: string[] }
  | { id: number; kind: 'memory' }
  | { id: number; kind: 'stop' };

/** child → parent */
export type Reply =
  | { kind: 'ready'; url: string; storage: Storage; startMs: number }
  | { kind: 'fatal'; message: string }
  | { id: number; kind: 'seeded'; usernames: string[]; ms: number }
  | { id: number; kind: 'codes'; codes: Record<string, string> }
  | { id: number; kind: 'memory'; usage: NodeJS.MemoryUsage }
  | { id: number; kind: 'stopped' }
  | { id: number; kind: 'error'; message: string };

/** bench/bare-provider.ts → bench/sso.ts (the bare oidc-provider the SSO figures are divided by) */
export type BareReply = { kind: 'ready'; url: string; issuer: string };

/** An HTTP request's endpoint, alike on both sides (bench/request-costs.ts and bench/sso-costs.ts):
 * GET /sso/interaction/KDh3…/confirm?x=1 → GET /sso/interaction/:id/confirm */
export const endpointOf = (method: string | undefined, url: string | undefined) =>
  `${method ?? '?'} ${(url ?? '').split('?')[0]!.replace(/\/[A-Za-z0-9_-]{16,}(?=\/|$)/g, '/:id')}`;

/** A password that passes the service's rules (length, not common, not the username). */
export const BENCH_PASSWORD = 'Tongxing-Bench-7f3a!';

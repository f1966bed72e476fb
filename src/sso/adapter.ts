// Storage for oidc-provider through Kysely (PGlite or PostgreSQL): every model in one table keyed
// by (model, id), with the columns the provider looks up by (grant, uid, user code). Clients are
// not stored here: they come from oidc_clients, registered with `tongxing client add` or the console.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { clientMetadata } from './clients.ts';
import type { FieldKeys } from '../lib/field-crypto.ts';
import * as q from './payload-queries.ts';
import { CLIENT_CACHE_MS, clientCacheEpoch, newClientCache } from './client-cache.ts';

export interface AdapterDeps {
  db: Db;
  clock: Clock;
  keys: FieldKeys;
}

const GRANT_LINKED = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
/** The tokens whose grant and session the provider reads right after them (code exchange, refresh, userinfo). */
const READ_WITH_GRANT = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken']);

type Row = { payload: unknown; expires_at: Date | null; consumed_at: Date | null };

/**
 * What was read alongside a token during one provider request — its grant (by id) and its
 * session (by uid); null: gone — so the look-ups that follow need no statement of their own.
 * Scoped to the request (withRequestReads, around the mount's call into the provider): nothing
 * is kept between requests, and any write to a model in the same request drops what was read of it.
 */
const requestReads = new AsyncLocalStorage<Map<string, Row | null>>();
export const withRequestReads = <T>(fn: () => T): T => requestReads.run(new Map(), fn);
const readKey = (model: string, by: 'id' | 'uid', value: string) => `${model}\0${by}\0${value}`;
const forgetReadsOf = (model: string) => {
  const reads = requestReads.getStore();
  if (reads) for (const key of reads.keys()) if (key.startsWith(`${model}\0`)) reads.delete(key);
};
const alongside = (id: unknown, payload: unknown, expires: Date | null, consumed: Date | null): Row | null =>
  id ? { payload, expires_at: expires, consumed_at: consumed } : null;

/**
 * Whether `value` could be a key we stored. The provider looks up whatever a platform sends (a
 * token to revoke, a code or refresh token in a form body it parses itself, past the NUL check
 * the other routes have: http/input-guards.ts), and PostgreSQL text cannot hold a NUL: the
 * statement would fail and the platform be answered 500. No key we issue has one: it is unknown.
 */
const storable = (value: string) => !value.includes('\u0000');

export function kyselyAdapterFactory(deps: AdapterDeps) {
  return (model: string): Adapter => {
    if (model === 'Client') return clientAdapter(deps);
    // The provider keeps time with the system clock; expiry here must agree with it.
    const live = (expires: Date | null) => !expires || expires.getTime() > Date.now();
    const read = (row: Row | null | undefined): AdapterPayload | undefined => {
      if (!row || !live(row.expires_at)) return undefined;
      const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as AdapterPayload;
      return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
    };
    return {
      async upsert(id, payload, expiresIn) {
        const row = {
          model,
          id,
          payload: JSON.stringify(payload),
          grant_id: GRANT_LINKED.has(model) || model === 'Grant' ? ((payload.grantId as string | undefined) ?? (model === 'Grant' ? id : null)) : null,
          uid: (payload.uid as string | undefined) ?? null,
          user_code: (payload.userCode as string | undefined) ?? null,
          expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
        };
        forgetReadsOf(model);
        await q.upsertPayload(deps.db, row);
      },
      async find(id) {
        if (!storable(id)) return undefined;
        const reads = requestReads.getStore();
        if (reads?.has(readKey(model, 'id', id))) return read(reads.get(readKey(model, 'id', id)));
        if (reads && READ_WITH_GRANT.has(model)) {
          const row = await q.findPayloadWithGrant(deps.db, model, id);
          if (row?.grant_id)
            reads.set(readKey('Grant', 'id', row.grant_id), alongside(row.grant_row_id, row.grant_payload, row.grant_expires_at, row.grant_consumed_at));
          if (row?.session_uid) {
            reads.set(
              readKey('Session', 'uid', row.session_uid),
              alongside(row.session_row_id, row.session_payload, row.session_expires_at, row.session_consumed_at),
            );
          }
          return read(row);
        }
        return read(await q.findPayload(deps.db, model, 'id', id));
      },
      async findByUid(uid) {
        if (!storable(uid)) return undefined;
        const reads = requestReads.getStore();
        if (reads?.has(readKey(model, 'uid', uid))) return read(reads.get(readKey(model, 'uid', uid)));
        return read(await q.findPayload(deps.db, model, 'uid', uid));
      },
      async findByUserCode(userCode) {
        if (!storable(userCode)) return undefined;
        return read(await q.findPayload(deps.db, model, 'user_code', userCode));
      },
      async consume(id) {
        if (!storable(id)) return;
        forgetReadsOf(model);
        await q.consumePayload(deps.db, model, id, new Date());
      },
      async destroy(id) {
        if (!storable(id)) return;
        forgetReadsOf(model);
        await q.deletePayload(deps.db, model, id);
      },
      async revokeByGrantId(grantId) {
        if (!storable(grantId)) return;
        // Deletes the grant's row too (deleteByGrants).
        forgetReadsOf('Grant');
        await q.deleteByGrants(deps.db, [grantId]);
      },
    };
  };
}

function clientAdapter(deps: AdapterDeps): Adapter {
  const readOnly = async () => {
    throw new Error('clients are registered with `tongxing client add` or in the console');
  };
  // Platforms change rarely; a change here drops its entry at once (client-cache.ts).
  const cache = newClientCache();
  return {
    upsert: readOnly,
    async find(id) {
      const hit = cache.get(id);
      if (hit && Date.now() - hit.at < CLIENT_CACHE_MS) return hit.payload;
      const epoch = clientCacheEpoch();
      const payload = await clientMetadata(deps, id);
      if (clientCacheEpoch() !== epoch) return payload;
      if (cache.size > 1_000) cache.clear();
      cache.set(id, { at: Date.now(), payload });
      return payload;
    },
    findByUid: async () => undefined,
    findByUserCode: async () => undefined,
    consume: readOnly,
    destroy: readOnly,
    revokeByGrantId: async () => undefined,
  };
}

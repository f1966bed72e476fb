// Storage for oidc-provider through Kysely (PGlite or PostgreSQL): every model in one table keyed
// by (model, id), with the columns the provider looks up by (grant, uid, user code). Clients are
// not stored here: they come from oidc_clients, registered with `tongxing client add`.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { clientMetadata } from './clients.ts';
import type { FieldKeys } from '../lib/field-crypto.ts';

export interface AdapterDeps {
  db: Db;
  clock: Clock;
  keys: FieldKeys;
}

const GRANT_LINKED = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

export function kyselyAdapterFactory(deps: AdapterDeps) {
  return (model: string): Adapter => {
    if (model === 'Client') return clientAdapter(deps);
    // The provider keeps time with the system clock; expiry here must agree with it.
    const live = (expires: Date | null) => !expires || expires.getTime() > Date.now();
    const read = (row: { payload: unknown; expires_at: Date | null; consumed_at: Date | null } | undefined): AdapterPayload | undefined => {
      if (!row || !live(row.expires_at)) return undefined;
      const payload = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as AdapterPayload;
      return row.consumed_at ? { ...payload, consumed: Math.floor(row.consumed_at.getTime() / 1000) } : payload;
    };
    const columns = ['payload', 'expires_at', 'consumed_at'] as const;
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
          consumed_at: null,
        };
        await deps.db
          .insertInto('oidc_payloads')
          .values(row)
          .onConflict((oc) =>
            oc
              .columns(['model', 'id'])
              .doUpdateSet({ payload: row.payload, grant_id: row.grant_id, uid: row.uid, user_code: row.user_code, expires_at: row.expires_at }),
          )
          .execute();
      },
      async find(id) {
        return read(await deps.db.selectFrom('oidc_payloads').select(columns).where('model', '=', model).where('id', '=', id).executeTakeFirst());
      },
      async findByUid(uid) {
        return read(await deps.db.selectFrom('oidc_payloads').select(columns).where('model', '=', model).where('uid', '=', uid).executeTakeFirst());
      },
      async findByUserCode(userCode) {
        return read(await deps.db.selectFrom('oidc_payloads').select(columns).where('model', '=', model).where('user_code', '=', userCode).executeTakeFirst());
      },
      async consume(id) {
        await deps.db.updateTable('oidc_payloads').set({ consumed_at: new Date() }).where('model', '=', model).where('id', '=', id).execute();
      },
      async destroy(id) {
        await deps.db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
      },
      async revokeByGrantId(grantId) {
        await deps.db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
      },
    };
  };
}

/** Platforms change rarely; the provider asks for one on every token and userinfo request. */
const CLIENT_CACHE_MS = 30_000;

function clientAdapter(deps: AdapterDeps): Adapter {
  const readOnly = async () => {
    throw new Error('clients are registered with `tongxing client add`');
  };
  const cache = new Map<string, { at: number; payload: AdapterPayload | undefined }>();
  return {
    upsert: readOnly,
    async find(id) {
      const hit = cache.get(id);
      if (hit && Date.now() - hit.at < CLIENT_CACHE_MS) return hit.payload;
      const payload = await clientMetadata(deps, id);
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

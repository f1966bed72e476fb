// SQL for oidc_payloads: everything oidc-provider stores (sessions, interactions, grants, codes,
// tokens), one row per (model, id), with the columns it looks up by (grant, uid, user code).
import { sql } from 'kysely';
import type { Executor } from '../db/client.ts';

export interface PayloadRow {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: Date | null;
}

export async function upsertPayload(db: Executor, row: PayloadRow): Promise<void> {
  await db
    .insertInto('oidc_payloads')
    .values({ ...row, consumed_at: null })
    .onConflict((oc) =>
      oc
        .columns(['model', 'id'])
        .doUpdateSet({ payload: row.payload, grant_id: row.grant_id, uid: row.uid, user_code: row.user_code, expires_at: row.expires_at }),
    )
    .execute();
}

const readColumns = ['payload', 'expires_at', 'consumed_at'] as const;

export async function findPayload(db: Executor, model: string, by: 'id' | 'uid' | 'user_code', value: string) {
  return db.selectFrom('oidc_payloads').select(readColumns).where('model', '=', model).where(by, '=', value).executeTakeFirst();
}

/**
 * A token (or code) by id and, in the same statement, the grant it was issued under and the
 * sign-in session it is bound to (by uid): the provider reads those next on every code exchange,
 * refresh and userinfo request.
 */
export async function findPayloadWithGrant(db: Executor, model: string, id: string) {
  return (
    db
      .selectFrom('oidc_payloads as t')
      .leftJoin('oidc_payloads as g', (join) => join.onRef('g.id', '=', 't.grant_id').on('g.model', '=', 'Grant'))
      // Only a token that ends with the session makes the provider look the session up.
      .leftJoin('oidc_payloads as s', (join) =>
        join.on(sql<boolean>`s.uid = t.payload ->> 'sessionUid' and t.payload ->> 'expiresWithSession' = 'true'`).on('s.model', '=', 'Session'),
      )
      .select([
        't.payload',
        't.expires_at',
        't.consumed_at',
        't.grant_id',
        'g.id as grant_row_id',
        'g.payload as grant_payload',
        'g.expires_at as grant_expires_at',
        'g.consumed_at as grant_consumed_at',
        sql<string | null>`case when t.payload ->> 'expiresWithSession' = 'true' then t.payload ->> 'sessionUid' end`.as('session_uid'),
        's.id as session_row_id',
        's.payload as session_payload',
        's.expires_at as session_expires_at',
        's.consumed_at as session_consumed_at',
      ])
      .where('t.model', '=', model)
      .where('t.id', '=', id)
      .executeTakeFirst()
  );
}

export async function consumePayload(db: Executor, model: string, id: string, at: Date): Promise<void> {
  await db.updateTable('oidc_payloads').set({ consumed_at: at }).where('model', '=', model).where('id', '=', id).execute();
}

export async function deletePayload(db: Executor, model: string, id: string): Promise<void> {
  await db.deleteFrom('oidc_payloads').where('model', '=', model).where('id', '=', id).execute();
}

/** Everything issued under these grants (and the grants): returns how many rows went. */
export async function deleteByGrants(db: Executor, grantIds: string[]): Promise<number> {
  if (grantIds.length === 0) return 0;
  return Number((await db.deleteFrom('oidc_payloads').where('grant_id', 'in', grantIds).executeTakeFirst()).numDeletedRows);
}

/** The provider's grants for a subject, for one platform or all. */
export async function grantIdsOf(db: Executor, sub: string, clientId?: string): Promise<string[]> {
  let query = db
    .selectFrom('oidc_payloads')
    .select('id')
    .where('model', '=', 'Grant')
    .where(sql<boolean>`payload->>'accountId' = ${sub}`);
  if (clientId) query = query.where(sql<boolean>`payload->>'clientId' = ${clientId}`);
  return (await query.execute()).map((g) => g.id);
}

/** The provider's sign-in sessions of a subject, every browser. */
export async function deleteSessionsOf(db: Executor, sub: string): Promise<number> {
  const result = await db
    .deleteFrom('oidc_payloads')
    .where('model', '=', 'Session')
    .where(sql<boolean>`payload->>'accountId' = ${sub}`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The redirect URI an interaction will end at (its authorization request's), if it is still stored. */
export async function interactionRedirectUri(db: Executor, uid: string): Promise<string | undefined> {
  const row = await db.selectFrom('oidc_payloads').select('payload').where('model', '=', 'Interaction').where('id', '=', uid).executeTakeFirst();
  const payload = (typeof row?.payload === 'string' ? JSON.parse(row.payload) : row?.payload) as { params?: { redirect_uri?: unknown } } | undefined;
  return typeof payload?.params?.redirect_uri === 'string' ? payload.params.redirect_uri : undefined;
}

// Retention (issue 19 §4). Two things change shape:
//
// 1. audit_events and outbox become PARTITION BY RANGE (created_at), one partition per calendar
//    month (UTC), so what has outlived its retention leaves by dropping a whole month
//    (db/partitions.ts) instead of deleting rows one by one (no bloat, no long delete holding
//    locks). A primary key on a partitioned table must hold the partition key, so it becomes
//    (id, created_at); nothing references either table by a foreign key or ON CONFLICT, and every
//    update finds its row by id, which leads the key. A DEFAULT partition takes any row whose
//    month has no partition yet, so an insert never fails; maintenance moves such rows into their
//    month when it creates it. `seq` was an identity column, which PostgreSQL before 17 does not
//    allow on a partitioned table: it becomes a plain sequence default with the same numbers.
//    Existing rows are copied into partitions for the months they fall in.
//
// 2. ID photos and liveness results can be erased once their case is decided: photo_files.cipher
//    may be null, and erased_at on both says when (the row stays, so staff see that there was
//    evidence and that it went by the retention rule).
import { sql, type Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

const AUDIT_COLUMNS = `
  id uuid not null default gen_random_uuid(),
  created_at timestamptz not null,
  actor_kind text not null constraint audit_events_actor_kind_check check (actor_kind in ('account', 'system', 'staff', 'anonymous')),
  actor_id text,
  action text not null,
  account_id uuid,
  ip text,
  detail jsonb not null default '{}'::jsonb,`;

const AUDIT_LIST = 'id, created_at, actor_kind, actor_id, action, account_id, ip, detail, seq';

const OUTBOX_COLUMNS = `
  id uuid not null default gen_random_uuid(),
  channel text not null constraint outbox_channel_check check (channel in ('email', 'sms', 'webhook', 'backchannel_logout', 'cas_logout')),
  recipient text not null,
  subject text,
  body text not null,
  html text,
  template_params jsonb,
  state text not null default 'queued' constraint outbox_state_check check (state in ('queued', 'sending', 'sent', 'failed')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null,
  sent_at timestamptz,
  platform_id text,
  claim_token uuid,`;

const OUTBOX_LIST =
  'id, channel, recipient, subject, body, html, template_params, state, attempts, next_attempt_at, locked_until, last_error, created_at, sent_at, platform_id, claim_token, seq';

const TABLES = [
  {
    name: 'audit_events',
    columns: AUDIT_COLUMNS,
    list: AUDIT_LIST,
    indexes: ['audit_events_account', 'audit_events_account_seq'],
    createIndexes: `
      create index audit_events_account on audit_events (account_id, created_at desc);
      create index audit_events_account_seq on audit_events (account_id, created_at desc, seq desc)`,
  },
  {
    name: 'outbox',
    columns: OUTBOX_COLUMNS,
    list: OUTBOX_LIST,
    indexes: ['outbox_due', 'outbox_created', 'outbox_platform'],
    createIndexes: `
      create index outbox_due on outbox (next_attempt_at) where state in ('queued', 'sending');
      create index outbox_created on outbox (created_at desc);
      create index outbox_platform on outbox (platform_id, created_at desc) where platform_id is not null`,
  },
] as const;

/** `audit_events_y2026m05`: db/partitions.ts reads a partition's month back from its name. */
const partitionName = (table: string, month: Date) => `${table}_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
const addMonths = (month: Date, n: number) => new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + n, 1));

export async function up(db: Kysely<any>): Promise<void> {
  const now = (await sql<{ now: Date }>`select now() as now`.execute(db)).rows[0]!.now;
  const thisMonth = addMonths(new Date(now), 0);
  for (const t of TABLES) {
    const old = `${t.name}_unpartitioned`;
    await runStatements(
      db,
      `
      alter table ${t.name} rename to ${old};
      alter index ${t.name}_pkey rename to ${old}_pkey;
      ${t.indexes.map((i) => `alter index ${i} rename to ${old}_${i}`).join(';\n')};
      create sequence ${t.name}_seq_counter;
      select setval('${t.name}_seq_counter', coalesce((select max(seq) from ${old}), 0) + 1, false);
      create table ${t.name} (${t.columns}
        seq bigint not null default nextval('${t.name}_seq_counter'),
        primary key (id, created_at)
      ) partition by range (created_at);
      alter sequence ${t.name}_seq_counter owned by ${t.name}.seq;
      ${t.createIndexes};
      create table ${t.name}_default partition of ${t.name} default`,
    );
    const months = await sql<{ month: Date }>`
      select distinct date_trunc('month', created_at at time zone 'UTC') at time zone 'UTC' as month from ${sql.table(old)}`.execute(db);
    const wanted = new Map<string, Date>();
    for (const m of [...months.rows.map((r) => new Date(r.month)), thisMonth, addMonths(thisMonth, 1), addMonths(thisMonth, 2)]) wanted.set(m.toISOString(), m);
    for (const month of wanted.values()) {
      await sql`create table ${sql.table(partitionName(t.name, month))} partition of ${sql.table(t.name)}
        for values from (${sql.lit(month.toISOString())}) to (${sql.lit(addMonths(month, 1).toISOString())})`.execute(db);
    }
    await runStatements(db, `insert into ${t.name} (${t.list}) select ${t.list} from ${old};\n drop table ${old}`);
  }
  await runStatements(
    db,
    `
    alter table photo_files alter column cipher drop not null;
    alter table photo_files add column erased_at timestamptz;
    alter table liveness_sessions add column erased_at timestamptz`,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table liveness_sessions drop column erased_at;
    delete from photo_files where cipher is null;
    alter table photo_files drop column erased_at;
    alter table photo_files alter column cipher set not null`,
  );
  for (const t of TABLES) {
    const partitioned = `${t.name}_partitioned`;
    await runStatements(
      db,
      `
      alter table ${t.name} rename to ${partitioned};
      alter index ${t.name}_pkey rename to ${partitioned}_pkey;
      ${t.indexes.map((i) => `alter index ${i} rename to ${partitioned}_${i}`).join(';\n')};
      create table ${t.name} (${t.columns}
        seq bigint generated by default as identity,
        primary key (id)
      );
      ${t.createIndexes};
      insert into ${t.name} (${t.list}) overriding system value select ${t.list} from ${partitioned};
      select setval(pg_get_serial_sequence('${t.name}', 'seq'), coalesce((select max(seq) from ${t.name}), 0) + 1, false);
      drop table ${partitioned}`,
    );
  }
}

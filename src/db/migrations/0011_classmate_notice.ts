// 途径3 no longer deregisters at once. When enough classmates have vouched, the case waits a notice
// period during which the current holders of the number, told at once, may object; without an
// objection it passes when the period ends, with one it goes to staff.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table resolution_holds (
      id uuid primary key default gen_random_uuid(),
      id_index bytea not null,
      claimant_account_id uuid not null references accounts (id),
      path text not null check (path in ('classmate')),
      state text not null check (state in ('waiting', 'passed', 'objected', 'upheld', 'rejected', 'cancelled')),
      created_at timestamptz not null,
      takes_effect_at timestamptz not null,
      objected_by uuid references accounts (id),
      objected_at timestamptz,
      objection text,
      claimed_by text,
      claimed_at timestamptz,
      decided_by text,
      decided_at timestamptz,
      decision_note text
    );
    create index resolution_holds_due on resolution_holds (takes_effect_at) where state = 'waiting';
    create index resolution_holds_claimant on resolution_holds (claimant_account_id, created_at desc);
    create index resolution_holds_open on resolution_holds (id_index) where state in ('waiting', 'objected');
    create index resolution_holds_queue on resolution_holds (objected_at) where state = 'objected'
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `drop table resolution_holds`);
}

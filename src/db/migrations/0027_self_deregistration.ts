// 注销帐号 by the person (leaving/): a request waits out a cooling-off period, during which
// signing in offers to cancel it, then the account is deregistered as the resolution
// deregisters. One open request per account (the partial unique index), so two tabs or two
// nodes cannot start two. `personal_data_erased_at` marks an account whose personal information
// was erased after the retention period, whatever deregistered it (the erasure runs once).
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    create table self_deregistrations (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      state text not null check (state in ('cooling_off', 'cancelled', 'completed')),
      requested_at timestamptz not null,
      due_at timestamptz not null,
      cancelled_at timestamptz,
      completed_at timestamptz
    );
    create unique index self_deregistrations_open on self_deregistrations (account_id) where state = 'cooling_off';
    create index self_deregistrations_due on self_deregistrations (due_at) where state = 'cooling_off';
    alter table accounts add column personal_data_erased_at timestamptz
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table accounts drop column personal_data_erased_at; drop table self_deregistrations`);
}

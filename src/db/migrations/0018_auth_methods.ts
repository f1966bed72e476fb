// A session remembers how its person proved who they are (sessions/auth-methods.ts), so that
// platforms hear it (OIDC amr/acr, CAS authenticationMethod). Sessions made before this were all
// password sign-ins; CAS tickets copy the session's methods as they copy its authentication time.
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table sessions add column auth_methods text[] not null default '{password}';
    alter table cas_tickets add column auth_methods text[] not null default '{password}'
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(db, `alter table sessions drop column auth_methods; alter table cas_tickets drop column auth_methods`);
}

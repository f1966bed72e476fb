// Platforms managed in the staff console (admin/platform-routes.tsx) as well as by the CLI:
// - a platform may be disabled (the provider then does not know it: no sign-in, no token) and is
//   kept, with its deliveries and consents, so it can be enabled again;
// - when it last changed (the console shows it; the provider's client cache is dropped on change);
// - an optional logo (PNG or JPEG, cleaned like the ID photos), served from Tongxing's own origin
//   on the sign-in page, so no third party learns who is signing in and img-src stays 'self';
// - the console's account list pages by (created_at, id): an index in that order (keyset).
import type { Kysely } from 'kysely';
import { runStatements } from '../run-statements.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `
    alter table oidc_clients add column disabled_at timestamptz;
    alter table oidc_clients add column updated_at timestamptz;
    alter table oidc_clients add column logo bytea;
    alter table oidc_clients add column logo_media_type text check (logo_media_type in ('image/png', 'image/jpeg'));
    create index accounts_created_keyset on accounts (created_at desc, id desc);
    create index sso_consents_client on sso_consents (client_id, account_id)
  `,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await runStatements(
    db,
    `drop index sso_consents_client; drop index accounts_created_keyset;
     alter table oidc_clients drop column logo_media_type; alter table oidc_clients drop column logo;
     alter table oidc_clients drop column updated_at; alter table oidc_clients drop column disabled_at`,
  );
}

// Migrations are listed here explicitly (no directory scanning), so the set that runs is the set
// that was reviewed. Several nodes starting together migrate once: migrateOpened holds our own
// advisory lock (client.ts withMigrationLock) around Kysely's migrator, so the first starter
// applies the set and the others wait, then find nothing left to do. Kysely's own lock would do
// the same, but on a pooled connection with the request timeouts: a starter waiting more than 10 s
// behind a long migration would fail its start, and a long migration would be cut off.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { OpenedDb } from './client.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_identity.ts';
import * as m0003 from './migrations/0003_inbox.ts';
import * as m0004 from './migrations/0004_recovery.ts';
import * as m0005 from './migrations/0005_resolution.ts';
import * as m0006 from './migrations/0006_event_order.ts';
import * as m0007 from './migrations/0007_sso.ts';
import * as m0008 from './migrations/0008_platform_events.ts';
import * as m0009 from './migrations/0009_staff_console.ts';
import * as m0010 from './migrations/0010_credential_epoch.ts';
import * as m0011 from './migrations/0011_classmate_notice.ts';
import * as m0012 from './migrations/0012_deregistration_disputes.ts';
import * as m0013 from './migrations/0013_enterprise_letter_pages.ts';
import * as m0014 from './migrations/0014_enterprise_confirmation.ts';
import * as m0015 from './migrations/0015_reset_guess_subject.ts';
import * as m0016 from './migrations/0016_platforms_in_console.ts';
import * as m0017 from './migrations/0017_cas.ts';
import * as m0018 from './migrations/0018_auth_methods.ts';
import * as m0019 from './migrations/0019_social_bindings.ts';
import * as m0020 from './migrations/0020_passkeys.ts';
import * as m0021 from './migrations/0021_second_factor.ts';
import * as m0022 from './migrations/0022_outbox_claims.ts';
import * as m0023 from './migrations/0023_passkey_second_factor.ts';
import * as m0024 from './migrations/0024_username_recovered.ts';
import * as m0025 from './migrations/0025_support_requests.ts';
import * as m0026 from './migrations/0026_data_exports.ts';
import * as m0027 from './migrations/0027_self_deregistration.ts';
import * as m0028 from './migrations/0028_retention.ts';
import * as m0029 from './migrations/0029_support_follow_links.ts';
import * as m0030 from './migrations/0030_consent_records.ts';
import * as m0031 from './migrations/0031_outbox_depth_index.ts';
import * as m0032 from './migrations/0032_session_consent_due.ts';
import * as m0033 from './migrations/0033_consent_purpose_params.ts';
import * as m0034 from './migrations/0034_deregistration_waiting_told.ts';

const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_identity': m0002,
  '0003_inbox': m0003,
  '0004_recovery': m0004,
  '0005_resolution': m0005,
  '0006_event_order': m0006,
  '0007_sso': m0007,
  '0008_platform_events': m0008,
  '0009_staff_console': m0009,
  '0010_credential_epoch': m0010,
  '0011_classmate_notice': m0011,
  '0012_deregistration_disputes': m0012,
  '0013_enterprise_letter_pages': m0013,
  '0014_enterprise_confirmation': m0014,
  '0015_reset_guess_subject': m0015,
  '0016_platforms_in_console': m0016,
  '0017_cas': m0017,
  '0018_auth_methods': m0018,
  '0019_social_bindings': m0019,
  '0020_passkeys': m0020,
  '0021_second_factor': m0021,
  '0022_outbox_claims': m0022,
  '0023_passkey_second_factor': m0023,
  '0024_username_recovered': m0024,
  '0025_support_requests': m0025,
  '0026_data_exports': m0026,
  '0027_self_deregistration': m0027,
  '0028_retention': m0028,
  '0029_support_follow_links': m0029,
  '0030_consent_records': m0030,
  '0031_outbox_depth_index': m0031,
  '0032_session_consent_due': m0032,
  '0033_consent_purpose_params': m0033,
  '0034_deregistration_waiting_told': m0034,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  // During a rolling upgrade a pod of the previous release may restart after a newer one has
  // migrated (expanded) the schema: every migration it knows is applied, the newer ones are not
  // its business. Kysely would refuse the unknown rows ("previously executed migration … is
  // missing") and fail the old pod's start; it has nothing to do, so it starts.
  if ((await migrator.getMigrations()).every((m) => m.executedAt !== undefined)) return [];
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Migrates the opened database to the latest version, once however many nodes start together. */
export async function migrateOpened(opened: OpenedDb): Promise<string[]> {
  return opened.withMigrationLock ? opened.withMigrationLock((db) => migrateToLatest(db)) : migrateToLatest(opened.db);
}

/** True when every known migration has been applied (readiness check). */
export async function migrationsApplied(db: Kysely<any>): Promise<boolean> {
  const migrator = new Migrator({ db, provider });
  const all = await migrator.getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}

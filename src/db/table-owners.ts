// Which module owns each table: only files of that module write it (insert, update, delete);
// others read it with joins in their own queries, or call the owner. `npm test` checks every write
// against this list (scripts/check-architecture.ts), and a table missing here does not compile.
import type { Database } from './schema.ts';

export const TABLE_OWNERS = {
  accounts: 'accounts',
  email_usages: 'accounts',
  released_contacts: 'accounts',
  account_events: 'accounts',
  identities: 'identity',
  id_claims: 'identity',
  verification_codes: 'verification',
  link_tokens: 'verification',
  sessions: 'sessions',
  captchas: 'captcha',
  rate_limits: 'security',
  outbox: 'notifications',
  audit_events: 'audit',
  inbox_items: 'inbox',
  password_resets: 'recovery',
  student_records: 'records',
  record_checks: 'resolution',
  resolutions: 'resolution',
  photo_reviews: 'resolution',
  photo_files: 'resolution',
  liveness_sessions: 'resolution',
  platform_usages: 'sso',
  oidc_payloads: 'sso',
  oidc_clients: 'sso',
  oidc_signing_keys: 'sso',
  sso_subjects: 'sso',
  sso_consents: 'sso',
  staff_accounts: 'admin',
  staff_recovery_codes: 'admin',
  staff_sessions: 'admin',
  enterprises: 'enterprise',
  enterprise_requests: 'enterprise',
} as const satisfies Record<keyof Database, string>;

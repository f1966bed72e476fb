// Table types for Kysely. Generated<T> marks columns the database fills in.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date, Date>;
type Json = ColumnType<unknown, string, string>;

/** How a person proved who they are at a sign-in (sessions/auth-methods.ts says what each means to platforms). */
export type AuthMethod = 'password' | 'sms_code' | 'wechat' | 'alipay' | 'passkey' | 'totp' | 'recovery_code';

export type AccountState = 'pending_activation' | 'active' | 'needs_verification' | 'suspended' | 'deregistered';

export interface AccountsTable {
  id: Generated<string>;
  phone: string | null;
  email: string | null;
  phone_verified_at: Timestamp | null;
  email_verified_at: Timestamp | null;
  password_hash: string;
  state: AccountState;
  registered_via: 'phone' | 'email';
  created_at: Timestamp;
  activated_at: Timestamp | null;
  updated_at: Timestamp;
  realname_bound_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  realname_bound_via: ColumnType<string | null, string | null | undefined, string | null>;
  inbox_unread: Generated<number>;
  password_recovered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When a username reminder (找回用户名) last went to the account (the 2-hour binding pause). */
  username_recovered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  state_before_suspension: ColumnType<AccountState | null, AccountState | null | undefined, AccountState | null>;
  kind: ColumnType<AccountKind, AccountKind | undefined, AccountKind>;
  /** Counts password and contact changes: a reset link issued under an older count is void. */
  credential_epoch: ColumnType<number, number | undefined, number>;
  /** The state a deregistered account left, for support reversing a wrongful deregistration. */
  state_before_deregistration: ColumnType<AccountState | null, AccountState | null | undefined, AccountState | null>;
  /** A deregistered account's personal information was erased (retention over): leaving/erasure.ts. */
  personal_data_erased_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type AccountKind = 'person' | 'enterprise';

export type StaffRole = 'reviewer' | 'support' | 'records' | 'admin';

export interface StaffAccountsTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  roles: StaffRole[];
  password_hash: string;
  must_change_password: ColumnType<boolean, boolean | undefined, boolean>;
  state: 'active' | 'suspended';
  totp_key_id: string | null;
  totp_cipher: Buffer | null;
  totp_enrolled_at: Timestamp | null;
  totp_last_step: ColumnType<string | null, number | null, number | null>;
  created_at: Timestamp;
  created_by: string;
  updated_at: Timestamp;
}

export interface StaffRecoveryCodesTable {
  staff_id: string;
  code_hash: Buffer;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export type StaffSessionStage = 'second_factor' | 'enrol' | 'full';

export interface StaffSessionsTable {
  id: Generated<string>;
  token_hash: Buffer;
  staff_id: string;
  stage: StaffSessionStage;
  pending_totp_cipher: Buffer | null;
  pending_totp_key_id: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
}

export interface EnterprisesTable {
  account_id: string;
  name: string;
  credit_code: string;
  contact_name: string;
  created_at: Timestamp;
  /** When support confirmed the account as the enterprise's (its stamped letter); null until then. */
  confirmed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  confirmed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export type EnterpriseRequestState = 'pending' | 'username_sent' | 'reset_started' | 'confirmed' | 'rejected';

export interface EnterpriseRequestsTable {
  id: Generated<string>;
  enterprise_name: string;
  credit_code: string;
  contact_name: string;
  contact_phone: string | null;
  contact_email: string | null;
  wants: 'username' | 'password' | 'confirm';
  letter_media_type: string;
  letter_key_id: string;
  letter_cipher: Buffer;
  state: EnterpriseRequestState;
  submitted_at: Timestamp;
  ip: string | null;
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  handled_by: string | null;
  handled_at: Timestamp | null;
  account_id: string | null;
  outcome: string | null;
}

/** A PDF letter's pages as PNG images, sealed like the letter (see enterprise/letter.ts). */
export interface EnterpriseLetterPagesTable {
  request_id: string;
  page_number: number;
  key_id: string;
  cipher: Buffer;
}

export interface IdentitiesTable {
  account_id: string;
  name: string;
  id_type: string;
  id_key_id: string;
  id_cipher: Buffer;
  id_index: Buffer;
  id_masked: string;
  verifier: string;
  verifier_result: string;
  checked_at: Timestamp;
  created_at: Timestamp;
}

export interface IdClaimsTable {
  id_index: Buffer;
  state: 'registered' | 'disputed';
  owner_account_id: string;
  updated_at: Timestamp;
}

export interface EmailUsagesTable {
  email: string;
  account_id: string;
  first_used_at: Timestamp;
}

export interface VerificationCodesTable {
  id: Generated<string>;
  purpose: string;
  target_hash: Buffer;
  code_hash: Buffer;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

export interface LinkTokensTable {
  id: Generated<string>;
  purpose: string;
  token_hash: Buffer;
  account_id: string;
  email: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: Buffer;
  account_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
  /** When the password was last typed in this session (sign-in or confirmation). */
  authenticated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** How the person proved who they are at sign-in (sessions/auth-methods.ts). */
  auth_methods: ColumnType<AuthMethod[], AuthMethod[] | undefined, AuthMethod[]>;
  /** Started while a newer user agreement or policy waited to be agreed to (consent/due-gate.ts). */
  consent_due: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface CaptchasTable {
  id: Generated<string>;
  answer_hash: Buffer;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed';

export type OutboxChannel = 'email' | 'sms' | 'webhook' | 'backchannel_logout' | 'cas_logout';

export interface OutboxTable {
  id: Generated<string>;
  channel: OutboxChannel;
  recipient: string;
  subject: string | null;
  body: string;
  html: string | null;
  template_params: Json | null;
  state: Generated<OutboxState>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  seq: Generated<string>;
  /** The platform (client id) a webhook or logout token is for. */
  platform_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The claim that holds the row while 'sending' (notifications/worker.ts): only it may mark the row. */
  claim_token: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AuditEventsTable {
  id: Generated<string>;
  created_at: Timestamp;
  actor_kind: 'account' | 'system' | 'staff' | 'anonymous';
  actor_id: string | null;
  action: string;
  account_id: string | null;
  ip: string | null;
  detail: Json;
  seq: Generated<string>;
}

export interface RateLimitsTable {
  key: string;
  points: number;
  expire: string | number | null;
}

export type InboxState = 'pending' | 'accepted' | 'declined' | 'expired' | 'notice';

export interface InboxItemsTable {
  id: Generated<string>;
  recipient_account_id: string;
  sender_account_id: string | null;
  kind: string;
  payload: Json;
  state: InboxState;
  read_at: Timestamp | null;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  decided_at: Timestamp | null;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  account_id: string | null;
  flow_hash: Buffer;
  link_hash: Buffer | null;
  delivery: 'sms' | 'email' | 'none';
  created_at: Timestamp;
  expires_at: Timestamp;
  code_verified_at: Timestamp | null;
  identity_failures: Generated<number>;
  completed_at: Timestamp | null;
  /** The account's credential_epoch when the reset was issued. */
  credential_epoch: ColumnType<number, number | undefined, number>;
  /** Whose wrong-code budget this request's guesses spend (the account, or a stand-in). */
  guess_subject: ColumnType<string | null, string | null | undefined, string | null>;
}

export type RecordKind = 'enrolment' | 'degree';

export interface StudentRecordsTable {
  kind: RecordKind;
  school_key: string;
  number: string;
  school: string;
  level: string;
  year: number;
  name: string;
  id_index: Buffer;
  imported_at: Timestamp;
  imported_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RecordChecksTable {
  id: Generated<string>;
  id_index: Buffer;
  account_id: string;
  matched: boolean;
  created_at: Timestamp;
}

export type ResolutionPath = 'app' | 'photo' | 'classmate' | 'records';

export interface ResolutionsTable {
  id: Generated<string>;
  id_index: Buffer;
  claimant_account_id: string;
  path: ResolutionPath;
  deregistered_account_ids: string[];
  passed_at: Timestamp;
  reversed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  reversed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export type DisputeState = 'pending' | 'reversed' | 'dismissed';

export interface DeregistrationDisputesTable {
  id: Generated<string>;
  account_id: string;
  resolution_id: string | null;
  state: DisputeState;
  what_happened: string;
  contact_channel: 'phone' | 'email';
  contact: string;
  ip: string | null;
  created_at: Timestamp;
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  claimed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  decision_note: ColumnType<string | null, string | null | undefined, string | null>;
}

export type PhotoReviewState = 'pending' | 'approved' | 'rejected' | 'closed';

export interface PhotoReviewsTable {
  id: Generated<string>;
  account_id: string;
  state: PhotoReviewState;
  submitted_at: Timestamp;
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
}

export type PhotoKind = 'handheld' | 'front' | 'back';

export interface PhotoFilesTable {
  review_id: string;
  kind: PhotoKind;
  media_type: string;
  byte_size: number;
  key_id: string;
  /** Null once erased by the retention rule (EVIDENCE_RETENTION_DAYS after the decision). */
  cipher: Buffer | null;
  erased_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface LivenessSessionsTable {
  id: Generated<string>;
  account_id: string;
  token_hash: Buffer;
  provider: string;
  state: 'pending' | 'passed' | 'failed';
  created_at: Timestamp;
  expires_at: Timestamp;
  completed_at: Timestamp | null;
  reason: string | null;
  /** When the provider's result (reason) was erased by the retention rule; the verdict stays. */
  erased_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ReleasedContactsTable {
  account_id: string;
  channel: 'phone' | 'email';
  value: string;
  released_at: Timestamp;
  /** When the contact had been proved, so one given back is proved again. */
  verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Given back to the account when support reversed its deregistration. */
  restored_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface AccountEventsTable {
  id: Generated<string>;
  account_id: string;
  type: string;
  payload: Json;
  created_at: Timestamp;
}

export interface PlatformUsagesTable {
  account_id: string;
  platform: string;
  client_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The person withdrew consent there: the platform hears nothing more of the account. */
  withdrawn_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  first_used_at: Timestamp;
  last_used_at: Timestamp;
}

export interface OidcPayloadsTable {
  model: string;
  id: string;
  payload: Json;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: Timestamp | null;
  consumed_at: Timestamp | null;
}

export type IdNumberAccess = 'none' | 'masked' | 'full';

export interface OidcClientsTable {
  client_id: string;
  name: string;
  secret_key_id: string;
  secret_cipher: Buffer;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  webhook_url: string | null;
  requires_realname: boolean;
  scopes: string[];
  id_number_access: IdNumberAccess;
  created_at: Timestamp;
  /** Disabled in the console: the provider does not know the platform while this is set. */
  disabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  logo: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  logo_media_type: ColumnType<'image/png' | 'image/jpeg' | null, 'image/png' | 'image/jpeg' | null | undefined, 'image/png' | 'image/jpeg' | null>;
  /** Which protocol the platform speaks: OpenID Connect at /oidc, or CAS at /cas. */
  protocol: Generated<PlatformProtocol>;
  /** CAS: the services it may be sent back to, exact URLs or anchored patterns (^…$). */
  cas_services: Generated<string[]>;
  /** CAS: whether it may ask for proxy tickets (a proxy callback and /cas/proxy). */
  cas_proxy: Generated<boolean>;
}

export type PlatformProtocol = 'oidc' | 'cas';
export type CasTicketKind = 'TGT' | 'ST' | 'PT' | 'PGT';

/** Every CAS ticket, by the SHA-256 of its text (cas/). */
export interface CasTicketsTable {
  ticket_hash: string;
  kind: CasTicketKind;
  account_id: string;
  session_id: string;
  tgt_hash: string | null;
  client_id: string | null;
  service: string | null;
  pgt_hash: string | null;
  proxies: Generated<string[]>;
  from_new_login: Generated<boolean>;
  authenticated_at: Timestamp;
  created_at: Timestamp;
  expires_at: Timestamp;
  validated_at: Timestamp | null;
  session_index: string | null;
  /** The session's sign-in methods when the ticket was issued. */
  auth_methods: ColumnType<AuthMethod[], AuthMethod[] | undefined, AuthMethod[]>;
}

export interface OidcSigningKeysTable {
  kid: string;
  key_id: string;
  jwk_cipher: Buffer;
  created_at: Timestamp;
  retired_at: Timestamp | null;
}

export interface SsoSubjectsTable {
  account_id: string;
  sub: string;
}

export interface SsoConsentsTable {
  account_id: string;
  client_id: string;
  grant_id: string;
  scopes: string;
  created_at: Timestamp;
}

export type HoldState = 'waiting' | 'passed' | 'objected' | 'upheld' | 'rejected' | 'cancelled';

export interface ResolutionHoldsTable {
  id: Generated<string>;
  id_index: Buffer;
  claimant_account_id: string;
  path: 'classmate';
  state: HoldState;
  created_at: Timestamp;
  takes_effect_at: Timestamp;
  objected_by: string | null;
  objected_at: Timestamp | null;
  objection: string | null;
  claimed_by: string | null;
  claimed_at: Timestamp | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
}

export interface SocialBindingsTable {
  id: Generated<string>;
  account_id: string;
  provider: 'wechat' | 'alipay';
  subject: string;
  display_name: string | null;
  bound_at: Timestamp;
  released_at: Timestamp | null;
  release_reason: 'unbound' | 'deregistered' | null;
}

export interface SocialFlowsTable {
  id: Generated<string>;
  secret_hash: Buffer;
  provider: 'wechat' | 'alipay';
  purpose: 'sign_in' | 'bind' | 'pending_bind';
  account_id: string | null;
  next: string | null;
  subject: string | null;
  display_name: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
}

export interface Database {
  accounts: AccountsTable;
  email_usages: EmailUsagesTable;
  verification_codes: VerificationCodesTable;
  link_tokens: LinkTokensTable;
  sessions: SessionsTable;
  captchas: CaptchasTable;
  outbox: OutboxTable;
  audit_events: AuditEventsTable;
  rate_limits: RateLimitsTable;
  identities: IdentitiesTable;
  id_claims: IdClaimsTable;
  inbox_items: InboxItemsTable;
  password_resets: PasswordResetsTable;
  student_records: StudentRecordsTable;
  record_checks: RecordChecksTable;
  resolutions: ResolutionsTable;
  photo_reviews: PhotoReviewsTable;
  photo_files: PhotoFilesTable;
  liveness_sessions: LivenessSessionsTable;
  released_contacts: ReleasedContactsTable;
  account_events: AccountEventsTable;
  platform_usages: PlatformUsagesTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_clients: OidcClientsTable;
  cas_tickets: CasTicketsTable;
  oidc_signing_keys: OidcSigningKeysTable;
  sso_subjects: SsoSubjectsTable;
  sso_consents: SsoConsentsTable;
  staff_accounts: StaffAccountsTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  staff_sessions: StaffSessionsTable;
  enterprises: EnterprisesTable;
  enterprise_requests: EnterpriseRequestsTable;
  enterprise_letter_pages: EnterpriseLetterPagesTable;
  resolution_holds: ResolutionHoldsTable;
  deregistration_disputes: DeregistrationDisputesTable;
  social_bindings: SocialBindingsTable;
  social_flows: SocialFlowsTable;
  person_totps: PersonTotpsTable;
  person_recovery_codes: PersonRecoveryCodesTable;
  pending_sign_ins: PendingSignInsTable;
  second_factor_removals: SecondFactorRemovalsTable;
  person_passkey_factors: PersonPasskeyFactorsTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  support_requests: SupportRequestsTable;
  self_deregistrations: SelfDeregistrationsTable;
  support_messages: SupportMessagesTable;
  data_exports: DataExportsTable;
  consent_records: ConsentRecordsTable;
}

// ---- a person's second factor (migration 0021, module mfa)

export interface PersonTotpsTable {
  account_id: string;
  key_id: string;
  cipher: Buffer;
  last_step: ColumnType<string | null, number | null | undefined, number | null>;
  created_at: Timestamp;
  enabled_at: Timestamp | null;
}

export interface PersonRecoveryCodesTable {
  account_id: string;
  code_hash: Buffer;
  created_at: Timestamp;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PendingSignInsTable {
  id: Generated<string>;
  token_hash: Buffer;
  account_id: string;
  first_method: AuthMethod;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SecondFactorRemovalsTable {
  id: Generated<string>;
  account_id: string;
  requested_via: 'sms' | 'email';
  requested_at: Timestamp;
  effective_at: Timestamp;
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** The second factor turned on with the account's passkeys alone (migration 0023, module mfa). */
export interface PersonPasskeyFactorsTable {
  account_id: string;
  enabled_at: Timestamp;
}

/** A passkey (WebAuthn credential) an account registered (passkeys/). */
export interface PasskeysTable {
  id: Generated<string>;
  account_id: string;
  /** base64url, as the browser names it. */
  credential_id: string;
  public_key: Buffer;
  /** The authenticator's signature counter (0 for synced passkeys, which do not count). */
  counter: ColumnType<string, number, number>;
  transports: string[];
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  aaguid: string;
  name: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
}

export type PasskeyPurpose = 'register' | 'sign_in' | 'second_factor';

/** One WebAuthn ceremony's challenge, stored as keyed hashes (passkeys/challenges.ts). */
export interface PasskeyChallengesTable {
  challenge_hash: Buffer;
  browser_hash: Buffer;
  purpose: PasskeyPurpose;
  account_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

// ---- support requests (migration 0025, module support)

export type SupportRequestState = 'open' | 'answered' | 'closed';

export interface SupportRequestsTable {
  id: Generated<string>;
  reference: string;
  /** The signed-in person's account; null for a request filed by someone who cannot sign in. */
  account_id: string | null;
  contact_channel: 'phone' | 'email' | null;
  /** Where replies go when there is no account. */
  contact: string | null;
  category: string;
  source: 'form' | 'assistant';
  state: SupportRequestState;
  /** Since when the person waits for staff (the queue's order). */
  waiting_since: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  claimed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  closed_by: ColumnType<string | null, string | null | undefined, string | null>;
  /** SHA-256 of the link an anonymous requester reads answers by (migration 0029); the newest answer's. */
  follow_token_hash: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  follow_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SupportMessagesTable {
  id: Generated<string>;
  request_id: string;
  author: 'person' | 'staff';
  staff_username: string | null;
  body: string;
  image_type: string | null;
  image_key_id: string | null;
  image_cipher: Buffer | null;
  created_at: Timestamp;
}

// ---- 下载个人信息 (migration 0026, module privacy-export)

export type DataExportState = 'requested' | 'ready' | 'failed' | 'expired';

export interface DataExportsTable {
  id: Generated<string>;
  account_id: string;
  state: DataExportState;
  /** The person typed their password again: the ID number goes in whole, else masked. */
  with_full_id: boolean;
  /** The requester's language, for index.html. */
  lang: string;
  requested_at: Timestamp;
  ready_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The ZIP, sealed with the identity keys (it may hold the full ID number); dropped on expiry. */
  file_key_id: ColumnType<string | null, string | null | undefined, string | null>;
  file_cipher: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  file_bytes: ColumnType<number | null, number | null | undefined, number | null>;
  /** SHA-256 of the download link's token. */
  token_hash: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  attempts: Generated<number>;
  claim_token: ColumnType<string | null, string | null | undefined, string | null>;
  locked_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  failure: ColumnType<string | null, string | null | undefined, string | null>;
}

export type SelfDeregistrationState = 'cooling_off' | 'cancelled' | 'completed';

/** 注销帐号 asked by the person (leaving/requests.ts holds its state machine). */
export interface SelfDeregistrationsTable {
  id: Generated<string>;
  account_id: string;
  state: SelfDeregistrationState;
  requested_at: Timestamp;
  due_at: Timestamp;
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  completed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the person was told that the request waits past its due time (migration 0034). */
  waiting_told_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** terms and privacy: the legal documents (consent/documents.ts); sensitive:*: consent/sensitive-purposes.ts. */
export type ConsentDocument = 'terms' | 'privacy' | 'sensitive:id_number' | 'sensitive:id_photo' | 'sensitive:liveness';

/** What an account agreed to and when (migration 0030, module consent); rows are only added. */
export interface ConsentRecordsTable {
  id: Generated<string>;
  account_id: string;
  document: ConsentDocument;
  version: string;
  accepted_at: Timestamp;
  ip: ColumnType<string | null, string | null | undefined, string | null>;
  /** The names a sensitive consent's wording was shown with (the liveness provider's). */
  purpose_params: ColumnType<unknown, string | null | undefined, string | null>;
}

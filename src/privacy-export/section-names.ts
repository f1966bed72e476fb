// The sections of an export: one JSON file each in the ZIP, in this order in index.html.
export const SECTION_NAMES = [
  'account',
  'contacts',
  'real_name',
  'consents',
  'sessions',
  'security_log',
  'platforms',
  'inbox',
  'duplicate_id_cases',
  'support_requests',
  'social_bindings',
  'passkeys',
  'second_factor',
  'enterprise',
  'self_deregistrations',
  'data_exports',
] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

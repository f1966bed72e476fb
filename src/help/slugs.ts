// Every help article, by slug and category: the one list pages link from (helpHref takes a
// HelpSlug, so a misspelt link does not compile) and the one the loader checks the files against
// (help/<lang>/<category>/<slug>.md must exist for every language, and nothing else may).
export const HELP_CATEGORIES = ['register', 'sign-in', 'real-name', 'duplicate-id', 'account', 'enterprise'] as const;
export type HelpCategory = (typeof HELP_CATEGORIES)[number];

export const HELP_ARTICLES = {
  'register-phone': 'register',
  'register-email': 'register',
  'code-not-received': 'register',
  'email-activation': 'register',
  'phone-email-taken': 'register',
  'email-ip-limited': 'register',
  'too-frequent': 'register',
  'recover-username': 'sign-in',
  'recover-password': 'sign-in',
  'social-sign-in': 'sign-in',
  'real-name-info': 'real-name',
  'real-name-binding': 'real-name',
  'id-pending-review': 'duplicate-id',
  'id-already-registered': 'duplicate-id',
  'id-number-wrong': 'duplicate-id',
  'id-taken-cannot-sign-in': 'duplicate-id',
  'path-app': 'duplicate-id',
  'path-photo': 'duplicate-id',
  'path-classmate': 'duplicate-id',
  'path-records': 'duplicate-id',
  'inbox-requests': 'account',
  deregistration: 'account',
  platforms: 'account',
  'contact-support': 'account',
  'personal-information': 'account',
  'enterprise-account': 'enterprise',
} as const satisfies Record<string, HelpCategory>;

export type HelpSlug = keyof typeof HELP_ARTICLES;
export const HELP_SLUGS = Object.keys(HELP_ARTICLES) as HelpSlug[];

export function isHelpSlug(value: string): value is HelpSlug {
  return Object.hasOwn(HELP_ARTICLES, value);
}

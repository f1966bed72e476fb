// CAS sign-in pages: an unknown service, the consent and the real-name requirement of a CAS platform.
import type { cas as zh } from '../zh-CN/cas.ts';

export const cas: Record<keyof typeof zh, string> = {
  'cas.title': 'Sign in to a platform',
  'cas.unknown_service':
    'This platform is not registered with Tongxing, so you cannot sign in to it with your Tongxing account. Start from the platform’s official entrance, or ask its administrators.',
  'cas.account_unavailable': 'This account cannot sign in to platforms at the moment.',
  'cas.signed_out': 'You have signed out of your Tongxing account, and the platforms you used have been told.',
  'cas.service_not_anchored': 'A service pattern must start with ^ and end with $: {entry}',
  'cas.service_host_literal': 'A service pattern must start with ^https:// and its host written literally (dots as \\.), followed by / or ":": {entry}',
  'cas.service_nested_quantifier':
    'A service pattern must not repeat a group that repeats (such as (a+)+) or hold more than three unbounded repeats (* or +): such patterns can take very long to match: {entry}',
  'cas.service_bad_pattern': 'This service pattern is not a valid regular expression: {entry}',
  'cas.service_not_https': 'A service must use https (http only for 127.0.0.1 or localhost outside production): {entry}',
  'cas.service_not_url': 'Not a valid URL: {entry}',
  'cas.service_fragment': 'A service must not have a # fragment: {entry}',
  'cas.service_too_long': 'This service URL is too long: {entry}',
  'cas.service_not_normal': 'Write it as browsers send it, {written} (or as a ^…$ pattern): {entry}',
  'cas.services_required': 'Give at least one service URL',
  'cas.services_too_many': 'At most {max} service URLs',
  'cas.warn': 'You are signed in to Tongxing. Sign in to “{platform}” with this account?',
  'cas.continue': 'Continue',
  'cas.continue_hint': 'If the page does not move on by itself, press “Continue” to return to the platform.',
  'cas.consent_declined':
    'You did not agree to the new user agreement and personal information policy: you are signed out of Tongxing and were not signed in to “{platform}”.',
  'cas.consent_declined_back': 'Back to “{platform}”',
};

// CAS sign-in pages: an unknown service, the consent and the real-name requirement of a CAS platform.
import type { cas as zh } from '../zh-CN/cas.ts';

export const cas: Record<keyof typeof zh, string> = {
  'cas.title': 'Sign in to a platform',
  'cas.unknown_service':
    'This platform is not registered with Tongxing, so you cannot sign in to it with your Tongxing account. Start from the platform’s official entrance, or ask its administrators.',
  'cas.account_unavailable': 'This account cannot sign in to platforms at the moment.',
  'cas.signed_out': 'You have signed out of your Tongxing account, and the platforms you used have been told.',
  'cas.continue': 'Continue',
  'cas.continue_hint': 'If the page does not move on by itself, press “Continue” to return to the platform.',
};

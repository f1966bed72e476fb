// Shared by every page and the API: the header, errors, limits.
import type { common as zh } from '../zh-CN/common.ts';

export const common: Record<keyof typeof zh, string> = {
  'app.name': 'Tongxing Account',
  'app.tagline': 'One account for every education platform',
  'nav.login': 'Sign in',
  'nav.register': 'Register',
  'nav.logout': 'Sign out',
  'nav.account': 'My account',
  'nav.language': '中文',
  'nav.skip': 'Skip to main content',
  'rate.limited': 'Too many requests; this action is blocked. Try again in {wait} seconds.',
  'validation.failed': 'Please check what you entered.',
  'csrf.invalid': 'This page has expired. Reload it and submit again.',
  'error.not_found.title': 'Page not found',
  'error.not_found.body': 'The page you asked for does not exist or has moved.',
  'error.refused.title': 'That could not be done',
  'error.forbidden.title': 'Not allowed',
  'error.server.title': 'Something went wrong',
  'error.server.body': 'The server ran into a problem. Please try again later; nothing was saved.',
  'error.back_home': 'Back to the start page',
  'error.unauthenticated': 'Please sign in first.',
  'error.bad_request': 'The request is malformed.',
  'error.json_only': 'The request body must be JSON (Content-Type: application/json).',
  'error.try_again': 'Another request was being handled at the same moment; nothing was changed. Please try again.',
  'dev.outbox.title': 'Dev outbox',
};

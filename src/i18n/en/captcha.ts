// The captcha of guarded forms: the proof-of-work widget, the picture that stands in without
// JavaScript, and the captcha services' button.
import type { captcha as zh } from '../zh-CN/captcha.ts';

export const captcha: Record<keyof typeof zh, string> = {
  'captcha.legend': 'Security check',
  'captcha.picture_intro': 'Type the characters in the picture.',
  'captcha.picture_alt': 'Security code picture (5 characters)',
  'captcha.refresh': 'Hard to read? Another picture',
  'captcha.refreshed': 'Here is another picture: type its characters',
  'captcha.vendor_start': 'Complete the security check',
  'captcha.widget_label': 'Confirm this is you',
  'captcha.widget_verifying': 'Checking, one moment…',
  'captcha.widget_verified': 'Check complete',
  'captcha.widget_error': 'The check did not complete; try again, or type the characters in the picture below',
  'captcha.widget_expired': 'The check expired; check again',
  'captcha.widget_required': 'Complete the security check first',
};

// 找回用户名 and 找回密码.
import type { recovery as zh } from '../zh-CN/recovery.ts';

export const recovery: Record<keyof typeof zh, string> = {
  'recover.title': 'Forgot username or password',
  'recover.intro': 'Try the self-service pages below first; if they cannot help, customer service can.',
  'recover.username_title': 'Find my username',
  'recover.password_title': 'Reset my password',
  'recover.username_intro': 'Enter the name, document type and number you registered with; the username goes to the phone or email bound to the account.',
  'recover.username_sent': 'If the name and number match an account, its username has been sent to the phone (SMS) or email bound to it.',
  'recover.username_no_message': 'Nothing within 10 minutes, or no phone or email bound to the account? Customer service can help.',
  'recover.password_intro':
    'Enter your username (mobile number, email or ID number). Accounts with a bound phone get an SMS code; others get an email with a link.',
  'recover.username': 'Username (mobile number / email / ID number)',
  'recover.username_invalid': 'Enter a mobile number, email address or ID number',
  'recover.next': 'Next',
  'recover.send': 'Send',
  'recover.code_sent_phone': 'If this number is registered, a reset code has been sent to it. It is valid for 10 minutes.',
  'recover.code_sent_id':
    'If this ID number belongs to an account, a code has been sent to its bound phone (valid 10 minutes); an account without a phone gets an email with a link instead.',
  'recover.link_sent_email':
    'If this address is registered, a link to reset the password has been sent to it, valid for 30 minutes (check the spam folder too). An account not yet activated gets its activation email again.',
  'recover.code': 'SMS code',
  'recover.expired': 'This reset request is no longer valid; start again.',
  'recover.start_again': 'Start again',
  'recover.reset_title': 'Choose a new password',
  'recover.reset_for': 'Account: {username}',
  'recover.identity_needed': 'This account holds real-name information: enter the name and ID number to confirm it is you.',
  'recover.identity_locked': 'Too many wrong names or ID numbers: password reset is paused for 24 hours. Customer service can help.',
  'recover.identity_mismatch': 'The name or ID number does not match the account; {left} tries left',
  'recover.new_password': 'New password',
  'recover.new_password2': 'New password again',
  'recover.save': 'Save',
  'recover.done': 'Your password was reset and every device signed out. Sign in with the new password.',
  'recover.links_password': 'Reset password',
  'recover.links_username': 'Find username',
};

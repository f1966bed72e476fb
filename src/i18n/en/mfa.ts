// Two-step verification: a person's second factor, its sign-in step and its removal through recovery.
import type { mfa as zh } from '../zh-CN/mfa.ts';

export const mfa: Record<keyof typeof zh, string> = {
  'mfa.title': 'Two-step verification',
  'mfa.required': 'Complete two-step verification',
  'mfa.step_title': 'Two-step verification',
  'mfa.step_intro':
    'Your account uses two-step verification. Open your authenticator app and type the 6-digit code it shows; without it at hand, type one of your recovery codes.',
  'mfa.code_label': 'Authenticator code or recovery code',
  'mfa.code_hint': 'Authenticator codes are 6 digits and change every 30 seconds; recovery codes look like abcde-fghij and each works once.',
  'mfa.code_required': 'Type an authenticator code or a recovery code',
  'mfa.code_wrong': 'That authenticator code or recovery code is not right',
  'mfa.submit': 'Verify and sign in',
  'mfa.step_expired': 'This sign-in timed out or is finished; please sign in again',
  'mfa.too_many_tries': 'Too many wrong codes: this sign-in has ended; please sign in again',
  'mfa.sign_in_again': 'Sign in again',
  'mfa.other_ways': 'Other ways to verify',
  'mfa.lost_title': 'Lost both your authenticator and your recovery codes?',
  'mfa.lost_body':
    'Reset your password through password recovery and tick “also ask to turn off two-step verification”. So that nobody else can do it in your name, it takes effect {days} days later, and your phone and mailbox are told.',
  'mfa.lost_link': 'Password recovery',
  'mfa.removal_waiting':
    'Turning off two-step verification was asked through password recovery and takes effect on {date}. Signing in now with an authenticator code or a recovery code cancels that request.',
  'mfa.status_on': 'On (since {date}): signing in asks for your authenticator code besides the password or SMS code.',
  'mfa.status_off': 'Off. When it is on, signing in also asks for the code your authenticator app shows: even someone who knows your password cannot sign in.',
  'mfa.codes_left': 'Unused recovery codes: {count}',
  'mfa.setup_start': 'Turn on two-step verification',
  'mfa.setup_title': 'Set up your authenticator app',
  'mfa.setup_scan':
    'Scan the QR code with an authenticator app (Tencent Authenticator, Microsoft Authenticator, Google Authenticator…) or type the key below into it, then type the 6-digit code it shows.',
  'mfa.setup_qr': 'QR code for the authenticator app',
  'mfa.setup_key': 'Key:',
  'mfa.setup_code': '6-digit code',
  'mfa.setup_confirm': 'Turn it on',
  'mfa.setup_expired': 'The set-up timed out; please start again',
  'mfa.already_on': 'Two-step verification is already on',
  'mfa.not_on': 'Two-step verification is not on',
  'mfa.enabled': 'Two-step verification is on.',
  'mfa.codes_title': 'Recovery codes',
  'mfa.codes_intro':
    'Write these recovery codes down or save them somewhere safe. Each one works once instead of an authenticator code. They are not shown again once you leave this page.',
  'mfa.codes_renew': 'Make new recovery codes',
  'mfa.codes_renew_hint': 'The earlier recovery codes stop working.',
  'mfa.codes_renewed': 'New recovery codes were made; the earlier ones no longer work.',
  'mfa.codes_done': 'I have saved them: back',
  'mfa.disable_title': 'Turn off two-step verification',
  'mfa.disable_hint': 'Type the code your authenticator app shows, or a recovery code.',
  'mfa.disable_submit': 'Turn off two-step verification',
  'mfa.disabled': 'Two-step verification is off.',
  'mfa.recovery_remove':
    'I lost both my authenticator and my recovery codes: also ask to turn off two-step verification (it takes effect in {days} days, your phone and mailbox are told, and signing in with it before then cancels it)',
  'audit.via.password+totp': 'password + authenticator code',
  'audit.via.password+recovery_code': 'password + recovery code',
  'audit.via.password+passkey': 'password + passkey',
  'audit.via.sms_code+totp': 'SMS code + authenticator code',
  'audit.via.sms_code+recovery_code': 'SMS code + recovery code',
  'audit.via.sms_code+passkey': 'SMS code + passkey',
};

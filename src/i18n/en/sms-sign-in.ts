// Signing in with an SMS code, and the tabs between the ways of signing in.
import type { smsSignIn as zh } from '../zh-CN/sms-sign-in.ts';

export const smsSignIn: Record<keyof typeof zh, string> = {
  'signin.by_password': 'Password',
  'signin.by_sms': 'SMS code',
  'smslogin.title': 'Sign in with an SMS code',
  'smslogin.intro': 'Enter the phone number of your account, get a code and sign in with it, no password needed.',
  'smslogin.phone': 'Phone number',
  'smslogin.send_code': 'Send code',
  'smslogin.code': 'Code',
  'smslogin.submit': 'Sign in',
  'smslogin.sent': 'If this number belongs to an account, a code was sent to {to}. It is valid for 10 minutes.',
  'smslogin.no_code': 'No code? The number may not belong to an account: sign in with your password, or register.',
} as const;

// The assistant's answers from the person's own account (help centre).
import type { guidance as zh } from '../zh-CN/guidance.ts';

export const guidance: Record<keyof typeof zh, string> = {
  'guidance.heading.platform': 'Why a platform does not accept your account',
  'guidance.platform.verified':
    'Your account has a verified real name, so no platform refuses it for lack of one. If you still cannot sign in, ask the platform’s administrators whether it is connected to single sign-on.',
  'guidance.platform.unverified':
    'Your account does not have a verified real name yet, and these platforms accept only accounts that do: {platforms}. Enter your real-name details on the Basic information page (/account/identity) first, then sign in to them.',
  'guidance.platform.unverified_none':
    'Your account does not have a verified real name yet. No platform requires one at the moment; if a platform still refuses you, ask its administrators.',
  'guidance.platform.needs_verification':
    'Your ID number is also held by another account, so your account is waiting for identity verification. Until it passes, the platforms that accept only a verified real name ({platforms}) do not accept your account. Choose a way to verify on the identity verification page (/account/resolution).',
  'guidance.platform.suspended': 'Your account is suspended, so no platform accepts it for now. Please contact customer service to learn why.',

  'guidance.heading.case': 'Your duplicate ID number case',
  'guidance.case.not_needed': 'Your account has no duplicate ID number case to settle.',
  'guidance.case.resolved': 'You passed identity verification on {time}; the ID number belongs to your account.',
  'guidance.case.open': 'Your ID number is also held by another account, and your account is waiting for identity verification (/account/resolution).',
  'guidance.case.photo_pending':
    'Your ID photos were submitted on {submitted} and are waiting for customer service to review them: {days} days so far. Reviews take up to 3 working days; expect a result by {due}.',
  'guidance.case.photo_late':
    'Your ID photos were submitted on {submitted} and are waiting for customer service to review them: {days} days so far, past the expected {due}. Please contact customer service.',
  'guidance.case.photo_rejected': 'The ID photos you submitted on {submitted} were not accepted ({reason}). You may upload new ones.',
  'guidance.case.classmates': 'Route 3: {confirmed} classmates have confirmed, {needed} are needed.',
  'guidance.case.notice':
    'Route 3: enough classmates have confirmed; the notice period runs until {until}. If no holder of the other accounts objects by then, you pass.',
  'guidance.case.objected': 'Route 3: a holder of another account objected during the notice period; customer service is looking into it.',
  'guidance.case.records': 'Route 4: {used} checks asked, {left} left.',
  'guidance.case.nothing_started':
    'You have not started any route yet: on the identity verification page choose the app check, a customer-service review, classmates’ help or your student records.',

  'guidance.heading.records': 'Route 4: student or degree records',
  'guidance.records.left':
    'Your ID number has been checked against the records {used} times through route 4; {left} tries are left (at most {max} per ID number).',
  'guidance.records.none_left': 'Your ID number has used all {max} route 4 checks. Please use another route, such as route 2 (customer-service review).',
  'guidance.records.not_needed': 'Your account does not need identity verification, so route 4 is not needed.',

  'guidance.heading.binding': 'Binding WeChat or Alipay sign-in',
  'guidance.binding.paused_password':
    'You recovered your password on {at}. To protect the account, WeChat or Alipay sign-in cannot be bound for 2 hours after a recovery: you can bind it after {until}.',
  'guidance.binding.paused_username':
    'You recovered your username on {at}. To protect the account, WeChat or Alipay sign-in cannot be bound for 2 hours after a recovery: you can bind it after {until}.',
  'guidance.binding.open':
    'Your account is not under the 2-hour pause after a recovery: you can bind WeChat or Alipay sign-in on the WeChat and Alipay page (/account/social).',

  'guidance.heading.codes': 'Why a code did not arrive',
  'guidance.codes.none': 'Nothing has been sent to {targets} recently. If you have just asked for a code, check the number or address you typed.',
  'guidance.codes.no_contacts': 'Your account has no phone or email, so there is nowhere to send a code.',
  'guidance.codes.sent':
    'The latest {kind} to {target} was delivered to the carrier on {time}. If it has not arrived, check your phone’s SMS filter or your spam folder.',
  'guidance.codes.queued': 'The latest {kind} to {target} (asked on {time}) is queued and leaves shortly.',
  'guidance.codes.sending': 'The latest {kind} to {target} (asked on {time}) is being sent; please wait a moment.',
  'guidance.codes.retrying':
    'The latest {kind} to {target} (asked on {time}) could not be sent yet ({why}); it is retried automatically on {next} ({attempts} attempts so far).',
  'guidance.codes.failed':
    'The latest {kind} to {target} (asked on {time}) could not be sent ({why}). Check the number or address and ask for a new code; if it keeps failing, contact customer service.',
  'guidance.codes.kind_sms': 'text message',
  'guidance.codes.kind_email': 'email',
  'guidance.codes.why_timeout': 'the SMS or email provider did not answer in time',
  'guidance.codes.why_refused': 'the provider refused the message; the number or address may be wrong',
  'guidance.codes.why_carrier_limit': 'the carrier limits how many messages this number receives',
  'guidance.codes.why_other': 'a temporary sending fault',
  'guidance.codes.resend_wait':
    'One number or address gets at most one code per {window} seconds: the next code to {target} can be asked for in {seconds} seconds.',
  'guidance.codes.daily_cap': 'Today’s limit of {max} codes to {target} is reached; please try again in {hours} hours.',
  'guidance.codes.and': ', ',
};

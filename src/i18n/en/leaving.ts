// Deregistering by the person: what it affects, the cooling-off period, cancelling, and why one must wait.
import type { leaving as zh } from '../zh-CN/leaving.ts';

export const leaving: Record<keyof typeof zh, string> = {
  'leaving.nav': 'Deregister account',
  'leaving.title': 'Deregister account',
  'leaving.intro': 'Deregistering ends your Tongxing account for good, at your request. Please read what it affects first.',
  'leaving.effects_title': 'After deregistration',
  'leaving.effect_sign_in':
    'You can no longer sign in to Tongxing with this account, nor to any platform through it; every session and every platform grant ends.',
  'leaving.effect_contacts': 'The mobile number and email address leave the account; the number may register a new account.',
  'leaving.effect_id': 'The ID number registered with the account is free again and may register a new account.',
  'leaving.effect_id_shared':
    'Other accounts are registered with the same ID number: after deregistration it stays with them (the last one left owns it) and is not freed for a new registration.',
  'leaving.effect_claim':
    'Your duplicate-ID case ends with it: verifications not yet finished are closed, and the ID number stays with the other accounts registered with it.',
  'leaving.effect_retention':
    '{days} days after deregistration the account’s personal information (name, ID number, mobile number, email, sign-in addresses) is erased; what the security log says happened, and when, stays without it.',
  'leaving.platforms': 'These platforms will be told that the account was deregistered: {platforms}',
  'leaving.no_platforms': 'You have not signed in to any platform with this account.',
  'leaving.cooling_off_explain':
    'A cooling-off period of {days} days follows: you are signed out everywhere, and signing in again during it lets you cancel, leaving the account as it was. Only when the period ends is the account deregistered, and that cannot be undone.',
  'leaving.acknowledge': 'I have read what deregistering affects and want to deregister this account',
  'leaving.acknowledge_required': 'Tick the box to confirm you have read what deregistering affects',
  'leaving.submit': 'Ask to deregister',
  'leaving.blocked_suspended':
    'The account is suspended, so it cannot be deregistered yet. Contact support about the suspension first, and ask again once it is lifted.',
  'leaving.blocked_open_case':
    'The account’s ID number is in a duplicate-ID case (support is deciding an appeal about it); it can be deregistered once that is decided.',
  'leaving.blocked_enterprise': 'An enterprise account cannot be deregistered here; contact support to close it.',
  'leaving.blocked_state': 'The account cannot be deregistered in its current state.',
  'leaving.already_requested': 'Your deregistration is already in its cooling-off period; there is no need to ask again.',
  'leaving.nothing_to_cancel': 'There is no deregistration to cancel.',
  'leaving.started_title': 'Deregistration requested',
  'leaving.started':
    'The cooling-off period ends on {due}, and the account is deregistered then. You are signed out everywhere; sign in again during the period to cancel.',
  'leaving.cooling_title': 'Your account is in its deregistration cooling-off period',
  'leaving.cooling_ended': 'You asked to deregister this account on {requested}; the cooling-off period ended on {due}.',
  'leaving.cooling': 'You asked to deregister this account on {requested}. The cooling-off period ends on {due}, and the account is deregistered then.',
  'leaving.cooling_waiting':
    'The account is not deregistered yet: {reason} You will be told once it can go on; it is deregistered {days} days after that, and you can still cancel before then.',
  'leaving.cancel_intro': 'To go on using this account, cancel the deregistration: the account and its platform grants stay as they are.',
  'leaving.cancel': 'Cancel deregistration',
  'leaving.keep': 'Keep it and sign out',
  'leaving.cancelled': 'Deregistration cancelled; the account is in normal use again.',
  'leaving.cooling_off':
    'This account is in the cooling-off period of its deregistration and will be deregistered on {due}. To keep using it, cancel the deregistration (POST /api/v1/account/deregistration/cancel with the token returned here); otherwise sign out.',
};

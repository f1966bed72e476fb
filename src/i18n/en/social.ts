// 微信扫码登录 / 支付宝登录 and their binding in 帐号管理.
import type { social as zh } from '../zh-CN/social.ts';

export const social: Record<keyof typeof zh, string> = {
  'social.provider.wechat': 'WeChat',
  'social.provider.alipay': 'Alipay',
  'social.sign_in_with.wechat': 'Sign in with WeChat (scan)',
  'social.sign_in_with.alipay': 'Sign in with Alipay',
  'social.other_ways': 'Other ways to sign in',
  'social.title': 'WeChat and Alipay',
  'social.intro': 'Once WeChat or Alipay is bound you can sign in by scanning with it. Your phone and email are told whenever one is bound or unbound.',
  'social.bound_as': 'Bound: {name} (since {at})',
  'social.not_bound': 'Not bound',
  'social.bind': 'Bind {provider}',
  'social.unbind': 'Unbind',
  'social.bound': '{provider} is bound: you can now sign in by scanning with {provider}.',
  'social.unbound': '{provider} is no longer bound.',
  'social.paused':
    'Too many operations, operation forbidden: WeChat or Alipay cannot be bound within 2 hours of recovering the username or password; bind it after {until}. You can sign in with your username and password now.',
  'social.paused_notice': 'You recently recovered your username or password: WeChat or Alipay can be bound after {until}.',
  'social.already_bound': '{provider} is already bound to this account; unbind it first to use another.',
  'social.bound_elsewhere':
    'This {provider} is bound to another account, {account}, and cannot be bound to this one. Sign in to that account and unbind it, or use another {provider}.',
  'social.not_bound_now': '{provider} is not bound to this account.',
  'social.bind_signed_out': 'You were signed out while scanning (or the sign-in expired). Please sign in again, then bind.',
  'social.flow_invalid': 'This sign-in has expired or was not started in this browser. Please scan again.',
  'social.wrong_account': 'The binding was started by another account. Sign in again and bind.',
  'social.unconfigured': 'This way of signing in is not offered here.',
  'social.failure.invalid_code': 'The {provider} authorisation code is not valid. Please scan again.',
  'social.failure.code_used': 'The {provider} authorisation code was already used. Please scan again.',
  'social.failure.code_expired': 'The {provider} authorisation code has expired (it lasts 10 minutes). Please scan again.',
  'social.failure.denied': 'You did not allow the sign-in in {provider}. Please scan again and confirm.',
  'social.failure.misconfigured':
    '{provider} sign-in is not available right now (this site’s {provider} application is misconfigured). Sign in with your username and password, and tell support.',
  'social.failure.unavailable': '{provider} cannot be reached right now. Try again later, or sign in with your username and password.',
  'social.unbound_title': 'This {provider} is not bound to a Tongxing account',
  'social.unbound_body':
    'The {provider} user “{name}” is not bound to any Tongxing account. Tongxing accounts are registered with a phone number or an email address; {provider} alone cannot make one.',
  'social.unbound_sign_in': 'Sign in with your password and bind',
  'social.unbound_sign_in_hint': 'After signing in you confirm the binding, then you can sign in by scanning with {provider} (within 10 minutes).',
  'social.unbound_register': 'Register a new account',
  'social.unbound_register_hint':
    'Register by phone and you can confirm the {provider} binding at once; after an email registration, bind it under account management once activated.',
  'social.confirm_title': 'Bind {provider}',
  'social.confirm_body': 'Bind the {provider} user “{name}” to this account? You can then sign in to it by scanning with {provider}.',
  'social.confirm_submit': 'Bind',
  'social.pending_gone': 'The {provider} waiting to be bound has expired (it lasts 10 minutes). Please scan again.',
  'social.error_title': '{provider} sign-in did not succeed',
  'social.try_again': 'Scan again',
  'social.back_to_login': 'Back to sign-in',
};

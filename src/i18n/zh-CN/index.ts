// The zh-CN catalogues, one per namespace.
export { accounts } from './accounts.ts';
export { captcha } from './captcha.ts';
export { cas } from './cas.ts';
export { common } from './common.ts';
export { staffConsole } from './console.ts';
export { dashboard } from './dashboard.ts';
export { enterprise } from './enterprise.ts';
export { idNumbers } from './id-numbers.ts';
export { identity } from './identity.ts';
export { inbox } from './inbox.ts';
export { records } from './records.ts';
export { recovery } from './recovery.ts';
export { resolution } from './resolution.ts';
export { settings } from './settings.ts';
export { sso } from './sso.ts';
export { smsSignIn } from './sms-sign-in.ts';
export { help } from './help.ts';

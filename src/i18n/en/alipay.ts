// The Alipay simulator's pages (/dev/alipay, never in production): what Alipay's 授权 page says.
import type { alipay as zh } from '../zh-CN/alipay.ts';

export const alipay: Record<keyof typeof zh, string> = {
  'alipay.sim.title': 'Alipay authorisation (simulator)',
  'alipay.sim.notice': 'This is the Alipay simulator for development, not Alipay: pick a test user to “scan” and approve.',
  'alipay.sim.request': 'Application {appId} asks for your Alipay account information (avatar, nickname)',
  'alipay.sim.request_base': 'Application {appId} asks for your Alipay user id',
  'alipay.sim.pick_user': 'Approve as which test user',
  'alipay.sim.other_user': 'Another test user',
  'alipay.sim.user_id': 'User id (16 digits starting with 2088)',
  'alipay.sim.nick_name': 'Nickname',
  'alipay.sim.approve': 'Approve',
  'alipay.sim.decline': 'Cancel',
  'alipay.sim.bad_user_id': 'The user id is 16 digits starting with 2088',
  'alipay.sim.bad_nick_name': 'The nickname is at most 20 characters',
  'alipay.sim.error_title': 'Authorisation failed',
  'alipay.sim.error.app_id': 'The application (app_id) does not exist or is not online; check the app_id in the link.',
  'alipay.sim.error.scope': 'The scope is wrong: only auth_user and auth_base are supported.',
  'alipay.sim.error.redirect_uri': 'The redirect_uri is wrong: it must be an http(s) address matching the application’s configured callback.',
  'alipay.sim.error.state': 'The state is wrong: at most 100 characters, no Chinese characters or spaces.',
};

// Pages and the API speak what the browser or app asks for (Accept-Language, by q-value) until the
// person chooses a language with the switch; the choice (a cookie) then wins. Without either: 简体中文.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { negotiateLang } from '../../src/i18n/accept-language.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance();
});
after(() => t.close());

const ENGLISH = 'en-US,en;q=0.9';

async function loginPage(headers: Record<string, string>) {
  const res = await t.app.inject({ method: 'GET', url: '/login', headers });
  return { res, lang: /<html lang="([^"]+)"/.exec(res.body)?.[1] };
}

async function apiError(headers: Record<string, string>) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/registrations/phone/code',
    headers: { 'content-type': 'application/json', ...headers },
    payload: { phone: '123' },
  });
  assert.equal(res.statusCode, 400);
  return res.json() as { error: { code: string; message: string; fields: Record<string, string> } };
}

test('a page and an API error in English for an English browser', async () => {
  const page = await loginPage({ 'accept-language': ENGLISH });
  assert.equal(page.lang, 'en');
  assert.match(page.res.body, /Sign in/);
  const error = await apiError({ 'accept-language': ENGLISH });
  assert.equal(error.error.fields.phone, 'Enter a valid 11-digit mainland mobile number');
});

test('the language the person chose (the cookie) wins over what the browser asks for', async () => {
  const agent = new Agent(t.app, { headers: { 'accept-language': ENGLISH } });
  assert.match((await agent.get('/login')).body, /<html lang="en"/);
  const switched = await agent.get('/lang/zh-CN?next=/login');
  assert.equal(switched.status, 303);
  const page = await agent.get('/login');
  assert.match(page.body, /<html lang="zh-CN"/);
  assert.match(page.text, /登录/);
  const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const error = await apiError({ 'accept-language': ENGLISH, cookie });
  assert.equal(error.error.fields.phone, '请输入正确的 11 位手机号码');
});

test('q-values decide, not the order; what we do not speak is passed over; nothing asked is 简体中文', async () => {
  assert.equal((await loginPage({ 'accept-language': 'zh-CN;q=0.4, en;q=0.8' })).lang, 'en');
  assert.equal((await loginPage({ 'accept-language': 'fr-FR, de;q=0.9, zh-TW;q=0.5, en;q=0.3' })).lang, 'zh-CN');
  assert.equal((await loginPage({ 'accept-language': 'en;q=0, zh;q=0.1' })).lang, 'zh-CN');
  assert.equal((await loginPage({ 'accept-language': 'fr, *;q=0.5' })).lang, 'zh-CN');
  assert.equal((await loginPage({})).lang, 'zh-CN');
  assert.equal((await apiError({ 'accept-language': 'ja, en-GB;q=0.7' })).error.fields.phone, 'Enter a valid 11-digit mainland mobile number');
});

test('every Chinese tag is 简体中文, every English one English', () => {
  for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh-Hans-CN', 'zh-SG', 'zh-TW', 'zh-HK', 'zh-Hant', 'ZH-cn']) assert.equal(negotiateLang(tag), 'zh-CN', tag);
  for (const tag of ['en', 'en-US', 'en-GB', 'EN-us']) assert.equal(negotiateLang(tag), 'en', tag);
  for (const header of [undefined, '', '*', 'fr', ';;;,,,', 'en;q=0']) assert.equal(negotiateLang(header), undefined, String(header));
});

test('a language refused with q=0 is never chosen, and a malformed q counts for nothing', () => {
  // The default (zh-CN) refused: the other language, even when nothing else matched.
  for (const header of ['zh;q=0', 'fr, zh;q=0', 'zh;q=0, *', 'zh-CN;q=0, fr;q=0.5']) assert.equal(negotiateLang(header), 'en', header);
  assert.equal(negotiateLang('zh;q=0, en;q=0'), undefined);
  // q is at most 1 and has at most three decimals: "1.5" and "abc" are not weights.
  assert.equal(negotiateLang('en;q=1.5, zh'), 'zh-CN');
  assert.equal(negotiateLang('en;q=abc, zh;q=0.5'), 'zh-CN');
});

test('pages and API answers say they vary by Accept-Language and Cookie, so caches keep one per language', async () => {
  const page = await loginPage({ 'accept-language': ENGLISH });
  assert.match(String(page.res.headers.vary), /Accept-Language/);
  assert.match(String(page.res.headers.vary), /Cookie/);
  const api = await t.app.inject({ method: 'GET', url: '/api/v1/account' });
  assert.match(String(api.headers.vary), /Accept-Language, Cookie/);
});

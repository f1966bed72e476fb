// The assistant's account intents as people type them: both languages, the help search's folded
// variants (验证码 / 效验码, 登陆), misspellings, several intents in one question, and questions
// that are about none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intentsOf } from '../../src/guidance/intents.ts';

const cases: Array<[string, string[]]> = [
  ['为什么研招网登陆不了', ['platform_refused']],
  ['平台拒绝我', ['platform_refused']],
  ['why does the platform refuse me', ['platform_refused']],
  ['the site wont let me sign in', ['platform_refused']],
  ['照片审核要等多久', ['duplicate_case']],
  ['证件号码重复，验证进度到哪了', ['duplicate_case']],
  ['how long is my photo review still pending', ['duplicate_case']],
  ['途径四还剩几次', ['records_tries']],
  ['学籍核对还能试多少次', ['records_tries']],
  ['how many tries are left for route 4', ['records_tries']],
  ['为什么不能绑定微信', ['binding_pause']],
  ['支付宝绑不上', ['binding_pause']],
  ['cant link my alipay', ['binding_pause']],
  ['效验码一直收不到', ['code_missing']],
  ['短信没收到', ['code_missing']],
  ['I never recieved the sms code', ['code_missing']],
  ['the email didnt arive', ['code_missing']],
  ['途径4还剩几次，照片审核到哪了', ['duplicate_case', 'records_tries']],
  ['怎么注册帐号', []],
  ['学信网为什么要实名', []],
  ['网上怎么修改手机号', []],
  ['收到验证码后填在哪里', []],
  ['how do I get a verification code', []],
  ['短信验证码还没收到', ['code_missing']],
  ['学信网账号登录研招网失败', ['platform_refused']],
  ['how do I change my password', []],
  // 审核 of something else is not a duplicate-ID case; an app that will not download is not a refusal.
  ['企业帐号审核要多久', []],
  ['营业执照审核通过了吗', []],
  ['注销帐号要审核吗', []],
  ['I cant download the app', []],
  ['the app wont open', []],
  ['the app will not let me sign in', ['platform_refused']],
];

test('each question has the intents a person means by it', () => {
  for (const [question, intents] of cases) assert.deepEqual(intentsOf(question), intents, question);
});

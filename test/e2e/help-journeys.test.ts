// Browser journeys of the help centre: ask the assistant in the help panel with JavaScript (the
// answer appears in place, the page and what was typed stay), ask again on /help/assistant and
// be asked which article was meant, read an article from the help centre, and the same question
// without JavaScript reaching the answer page. Every page passes the checks of page-checks.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { openPage, screenshot, type ServedInstance } from '../helpers/browser.ts';
import { closeJourneys, literal, maskPhone, path, phoneSequence, registerPhoneAccount, signIn, startJourneys, textOf } from '../helpers/journey.ts';

const JOURNEY_PASSWORD = 'help journey password';

let t: ServedInstance;
let browser: Browser;

before(async () => {
  ({ t, browser } = await startJourneys());
});
after(() => closeJourneys({ t, browser }));

test('asking in the help panel answers in place, as a chat, and the answer leads to its article', async () => {
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await page.goto('/register/phone');
    await page.locator('#f-phone').fill('13800138000');
    const panel = page.locator('#help-panel');
    await panel.getByRole('searchbox', { name: '向智能助手提问' }).fill('点了免费获取一直收不到短信');
    await panel.getByRole('button', { name: '提问' }).click();
    const log = page.locator('#help-panel-log');
    await log.locator('.help-chat-answer a[href="/help/code-not-received"]').waitFor();
    assert.equal(path(page), '/register/phone', 'the page stayed');
    assert.equal(await page.locator('#f-phone').inputValue(), '13800138000', 'what was typed stayed');
    assert.match(await log.innerText(), /点了免费获取一直收不到短信/);
    assert.match(await log.innerText(), /最相关的回答/);
    assert.match(await log.innerText(), /其他可能相关的文章/);
    await screenshot(page, 'help-a-panel-chat');

    // A second question joins the conversation.
    await panel.getByRole('searchbox').fill('forgot my password');
    await panel.getByRole('button', { name: '提问' }).click();
    await log.locator('.help-chat-answer a[href="/help/recover-password"]').waitFor();
    assert.equal(await log.locator('.help-chat-turn').count(), 2);

    await Promise.all([page.waitForURL('**/help/recover-password'), log.locator('a[href="/help/recover-password"]').first().click()]);
    // The English question was answered from the English article; the page is in the reader's language.
    assert.equal(await textOf(page.locator('h1')), '找回密码');
  } finally {
    await context.close();
  }
});

test('the assistant page chats too and asks which article an ambiguous question meant', async () => {
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await page.goto('/help/assistant');
    const form = page.locator('main form');
    await form.getByRole('searchbox', { name: '您的问题' }).fill('帐号');
    await form.getByRole('button', { name: '提问' }).click();
    const log = page.locator('#assistant-log');
    await log.locator('.help-clarify').waitFor();
    assert.match(await log.innerText(), /您想问的是哪一个/);
    assert.ok((await log.locator('ul').first().locator('a').count()) >= 2, 'articles to choose from');
    assert.equal(path(page), '/help/assistant');
    await screenshot(page, 'help-b-clarify');
    const empty = page.locator('main form');
    await empty.getByRole('button', { name: '提问' }).click();
    await log.getByText('请输入您的问题').waitFor();
  } finally {
    await context.close();
  }
});

test('reading an article from the help centre, on a phone', async () => {
  const { context, page } = await openPage(browser, t.baseURL, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  try {
    await page.goto('/help');
    assert.equal(await textOf(page.locator('h1')), '帮助中心');
    await Promise.all([page.waitForURL('**/help/id-already-registered'), page.getByRole('link', { name: '情况二：证件号码已被注册' }).click()]);
    assert.equal(await textOf(page.locator('h1')), '情况二：证件号码已被注册');
    assert.match(await page.locator('main').innerText(), /我要重新注册/);
    await screenshot(page, 'help-c-article-phone');
    await Promise.all([page.waitForURL('**/help/path-records'), page.locator('main').getByRole('link', { name: /途径4/ }).first().click()]);
    assert.match(await page.locator('main').innerText(), /最多 3 次/);
    // Search from the help centre.
    await page.goto('/help');
    await page.getByRole('searchbox', { name: '搜索帮助' }).fill('邮箱ip受限');
    await Promise.all([page.waitForURL('**/help/search?**'), page.getByRole('button', { name: '搜索' }).click()]);
    assert.equal(await page.locator('main ol a').first().getAttribute('href'), '/help/email-ip-limited');
  } finally {
    await context.close();
  }
});

test('without JavaScript the panel’s question goes to the answer page', async () => {
  const { context, page } = await openPage(browser, t.baseURL, { javaScriptEnabled: false });
  try {
    await page.goto('/login');
    const panel = page.locator('#help-panel');
    await panel.getByRole('searchbox').fill('邮箱注册提示IP受限');
    await Promise.all([page.waitForURL('**/help/assistant?q=**'), panel.getByRole('button', { name: '提问' }).click()]);
    assert.match(await page.locator('main').innerText(), /摘自《注册时提示“邮箱 IP 受限”》/);
  } finally {
    await context.close();
  }
});

test('signed in, the help panel answers from the person’s own account: the code sent to their phone', async () => {
  const phone = phoneSequence('147', 60_000_000, 7_411)();
  await registerPhoneAccount(t.baseURL, phone, JOURNEY_PASSWORD);
  const { context, page } = await openPage(browser, t.baseURL);
  try {
    await signIn(page, phone, JOURNEY_PASSWORD);
    const panel = page.locator('#help-panel');
    await panel.getByRole('searchbox', { name: '向智能助手提问' }).fill('验证码一直收不到');
    await panel.getByRole('button', { name: '提问' }).click();
    const log = page.locator('#help-panel-log');
    await log.locator('.help-chat-answer a[href="/help/code-not-received"]').waitFor();
    const answer = await log.innerText();
    assert.match(answer, /校验码为什么没有收到/);
    assert.match(answer, literal(`最近一条发往 ${maskPhone(phone)} 的短信`));
    assert.ok(answer.indexOf('校验码为什么没有收到') < answer.indexOf('最相关的回答'), 'the account’s answer comes first');
    assert.equal(path(page), '/account', 'the page stayed');
    await screenshot(page, 'help-d-account-answer');
  } finally {
    await context.close();
  }
});

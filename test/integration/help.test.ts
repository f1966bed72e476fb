// The help centre as a reader meets it: the pages in both languages, search by a colloquial
// question in Chinese and in English, the assistant without JavaScript (GET and POST) and its
// JSON for the chat, a clarifying question for an ambiguous one, clear messages for what cannot
// be asked, the help panel on every page, and the links from the service's pages — the
// 证件号码已被注册 prompt among them — reaching their articles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent } from '../helpers/agent.ts';
import { HELP_ARTICLES, HELP_SLUGS } from '../../src/help/slugs.ts';
import { HELP_ROOT, loadArticles } from '../../src/help/articles.ts';
import { LANGS } from '../../src/i18n/index.ts';

let t: TestInstance;
before(async () => {
  t = await getTestInstance({ limits: { registrationsPerIp: { points: 1000, durationSeconds: 3600 }, codesPerIp: { points: 1000, durationSeconds: 3600 } } });
});
after(() => t.close());

const zh = () => new Agent(t.app, { headers: { 'accept-language': 'zh-CN' } });
const en = () => new Agent(t.app, { headers: { 'accept-language': 'en' } });
const mainOf = (body: string) => /<main[\s\S]*<\/main>/.exec(body)?.[0] ?? '';
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));

test('/help lists every category and article, in Chinese and in English', async () => {
  const chinese = await zh().get('/help');
  assert.equal(chinese.status, 200);
  assert.match(chinese.text, /帮助中心/);
  assert.match(chinese.text, /证件号码重复/);
  assert.match(chinese.text, /情况二：证件号码已被注册/);
  const english = await en().get('/help');
  assert.equal(english.status, 200);
  assert.match(english.text, /Help centre/);
  assert.match(english.text, /Case 2: the ID number is already registered/);
  for (const slug of HELP_SLUGS) {
    assert.ok(hrefs(chinese.body).includes(`/help/${slug}`), `/help links to ${slug}`);
    assert.ok(hrefs(english.body).includes(`/help/${slug}`), `/help (en) links to ${slug}`);
  }
});

test('every article exists in both languages and reads in the reader’s language', async () => {
  const library = loadArticles();
  for (const lang of LANGS) assert.deepEqual([...library[lang].keys()].sort(), [...HELP_SLUGS].sort(), `every article in ${lang}`);
  const chinese = zh();
  const english = en();
  for (const slug of HELP_SLUGS) {
    const a = await chinese.get(`/help/${slug}`);
    const b = await english.get(`/help/${slug}`);
    assert.equal(a.status, 200, slug);
    assert.equal(b.status, 200, slug);
    assert.match(a.body, new RegExp(`<h1>${escape(library['zh-CN'].get(slug)!.title)}</h1>`), `${slug} in Chinese`);
    assert.match(b.body, new RegExp(`<h1>${escape(library.en.get(slug)!.title)}</h1>`), `${slug} in English`);
  }
  // The language switch applies to articles too.
  const switching = zh();
  const switched = await switching.get('/lang/en?next=/help/path-records');
  assert.equal(switched.status, 303);
  const article = await switching.get('/help/path-records');
  assert.match(article.text, /Path 4: student-status or degree records/);
  assert.match(article.text, /3 tries at most/);
});

test('an article is our Markdown rendered without raw HTML, with its related articles', async () => {
  const page = await zh().get('/help/path-photo');
  assert.match(page.body, /<ol>\s*<li>拍摄时，手持本人身份证/);
  assert.match(page.text, /图片大小|不超过 300K/);
  assert.match(mainOf(page.body), /href="\/help\/path-records"/, 'related articles are linked');
  assert.doesNotMatch(mainOf(page.body), /<script/);
  const missing = await zh().get('/help/no-such-article');
  assert.equal(missing.status, 404);
  assert.match(missing.text, /页面不存在/);
});

test('search finds the article for a colloquial Chinese question and for an English one', async () => {
  const chinese = await zh().get(`/help/search?q=${encodeURIComponent('短信验证码一直收不到咋办')}`);
  assert.equal(chinese.status, 200);
  assert.equal(firstResult(chinese.body), '/help/code-not-received');
  const typo = await zh().get(`/help/search?q=${encodeURIComponent('身分证被别人注册了')}`);
  assert.equal(firstResult(typo.body), '/help/id-already-registered');
  const english = await en().get(`/help/search?q=${encodeURIComponent('i forgot my pasword')}`);
  assert.equal(english.status, 200);
  assert.equal(firstResult(english.body), '/help/recover-password');
  assert.match(english.text, /articles found/);
  const nothing = await zh().get(`/help/search?q=${encodeURIComponent('xyzzy')}`);
  assert.match(nothing.text, /没有找到相关文章/);
});

test('the assistant works without JavaScript: a GET form, an answer page, POST too', async () => {
  const agent = zh();
  const form = await agent.get('/help/assistant');
  assert.equal(form.status, 200);
  assert.match(mainOf(form.body), /<form method="get" action="\/help\/assistant"[^>]*>[\s\S]*name="q"/);
  const answer = await agent.get(`/help/assistant?q=${encodeURIComponent('注册时提示邮箱ip受限怎么办')}`);
  assert.equal(answer.status, 200);
  assert.match(answer.text, /您的问题：注册时提示邮箱ip受限怎么办/);
  assert.match(answer.text, /摘自《注册时提示“邮箱 IP 受限”》/);
  assert.match(answer.text, /同一网络（同一 IP 地址）一天内最多注册 5 个邮箱帐号/, 'a passage of the article, word for word');
  assert.match(mainOf(answer.body), /href="\/help\/email-ip-limited"/);
  assert.match(answer.text, /其他可能相关的文章/, 'the next two candidates');
  const candidates = /<h3>其他可能相关的文章<\/h3>\s*<ul class="help-article-list">([\s\S]*?)<\/ul>/.exec(mainOf(answer.body));
  assert.ok(candidates, 'the candidates list');
  assert.equal(candidates[1]!.match(/<li>/g)?.length, 2, 'exactly two candidates');

  // A form posting here (a platform's page, say) carries the CSRF token of one of our pages.
  const posted = await agent.submit('/help/assistant', { q: 'how do I activate my account' }, { from: '/login' });
  assert.equal(posted.status, 200);
  assert.match(posted.text, /摘自《The activation email and its messages》/, 'an English question is answered from the English articles');
  const forged = await agent.submit('/help/assistant', { q: '忘记密码' }, { csrf: null });
  assert.equal(forged.status, 403, 'the POST form is CSRF-protected like every other');
});

test('an ambiguous question gets a clarifying question', async () => {
  const page = await zh().get(`/help/assistant?q=${encodeURIComponent('帐号')}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /您的问题可能涉及几种情况，您想问的是哪一个？/);
  const options = /<div class="help-clarify">([\s\S]*?)<\/div>/.exec(page.body)?.[1] ?? '';
  assert.ok(hrefs(options).filter((h) => h.startsWith('/help/')).length >= 2, 'at least two articles to choose from');
  const clear = await zh().get(`/help/assistant?q=${encodeURIComponent('提交学籍信息核对不一致还能试几次')}`);
  assert.doesNotMatch(clear.text, /您想问的是哪一个/, 'a clear question is simply answered');
  assert.match(clear.text, /摘自《途径4：提供学籍或学历信息》/);
});

test('the chat’s JSON: an answer with its article, candidates and labels; nothing invented', async () => {
  const res = await t.app.inject({
    url: `/help/assistant/answer?q=${encodeURIComponent('找回密码后为什么不能绑定微信')}`,
    headers: { 'accept-language': 'zh-CN' },
  });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /application\/json/);
  const body = res.json() as { kind: string; article: { href: string }; passages: Array<{ text: string }>; candidates: unknown[]; labels: { best: string } };
  assert.equal(body.kind, 'answer');
  assert.equal(body.article.href, '/help/social-sign-in');
  assert.ok(body.passages.length >= 1);
  const article = loadArticles()['zh-CN'].get('social-sign-in')!;
  for (const p of body.passages)
    assert.ok(
      article.passages.some((a) => a.text === p.text),
      'every passage is the article’s own text',
    );
  assert.equal(body.candidates.length, 2);
  assert.equal(body.labels.best, '最相关的回答');

  const none = await t.app.inject({ url: `/help/assistant/answer?q=${encodeURIComponent('明天北京天气')}` });
  assert.equal(none.statusCode, 200);
  assert.equal((none.json() as { kind: string }).kind, 'none');
});

test('what cannot be asked gets a clear message in the reader’s language, never a 5xx', async () => {
  const long = '验'.repeat(201);
  const cases: Array<[string, number, RegExp, RegExp]> = [
    [`/help/assistant?q=${encodeURIComponent('   ')}`, 400, /请输入您的问题/, /Please type your question/],
    [`/help/assistant?q=${encodeURIComponent(long)}`, 400, /问题太长了，请控制在 200 个字以内/, /too long/],
    ['/help/assistant?q=a&q=b', 400, /一次请只问一个问题/, /one question at a time/],
    [`/help/assistant?q=${encodeURIComponent('？？？！！！🙂')}`, 400, /请用文字描述您的问题/, /in words/],
    [`/help/search?q=${encodeURIComponent(long)}`, 400, /问题太长了/, /too long/],
    ['/help/assistant?q=%00', 400, /请求格式有误/, /./],
  ];
  for (const [url, status, zhText, enText] of cases) {
    const a = await zh().get(url);
    assert.equal(a.status, status, url);
    assert.match(a.text, zhText, url);
    const b = await en().get(url);
    assert.equal(b.status, status, url);
    assert.match(b.text, enText, url);
  }
  const json = await t.app.inject({ url: '/help/assistant/answer?q=', headers: { 'accept-language': 'en' } });
  assert.equal(json.statusCode, 400);
  assert.deepEqual(json.json(), { kind: 'invalid', message: 'Please type your question' });
  const odd = ['%E4%B8', '%ZZ', encodeURIComponent('<script>alert(1)</script>'), encodeURIComponent("' OR 1=1 --"), 'x'.repeat(8000)];
  for (const q of odd) {
    for (const path of ['/help/assistant', '/help/search', '/help/assistant/answer']) {
      const res = await t.app.inject({ url: `${path}?q=${q}` });
      assert.ok(res.statusCode < 500, `${path}?q=${q.slice(0, 20)} answered ${res.statusCode}`);
      // Pages escape what was typed; the JSON carries it as a string the chat sets as text.
      if (String(res.headers['content-type']).startsWith('text/html')) assert.doesNotMatch(res.body, /<script>alert/, 'what was typed is escaped');
    }
  }
  const bigPost = await t.app.inject({
    method: 'POST',
    url: '/help/assistant',
    payload: `q=${'x'.repeat(70_000)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.ok(bigPost.statusCode < 500 && bigPost.statusCode >= 400, `a huge POST answered ${bigPost.statusCode}`);
});

test('every page has the help panel: this page’s articles, the question box and the three ways to get help', async () => {
  const page = await zh().get('/register/phone');
  const footer = /<footer[\s\S]*<\/footer>/.exec(page.body)?.[0] ?? '';
  assert.match(footer, /需要帮助？/);
  assert.match(footer, /<form method="get" action="\/help\/assistant"[^>]*data-help-chat/);
  for (const href of ['/help', '/help/assistant', '/help/contact-support']) assert.ok(hrefs(footer).includes(href), `the footer links to ${href}`);
  assert.match(footer, /本页相关帮助/);
  assert.ok(hrefs(footer).includes('/help/register-phone'), 'the article written for this page');
  assert.match(page.body, /<script src="\/static\/help-chat.js" defer><\/script>/);
  const script = await t.app.inject({ url: '/static/help-chat.js' });
  assert.equal(script.statusCode, 200, 'the chat script is served from our origin');
  assert.doesNotMatch(script.body, /innerHTML/, 'the chat puts answers in as text');
  const english = await en().get('/login');
  assert.match(english.text, /Need help\?/);
});

test('every /help link in the pages and the articles resolves', async () => {
  const targets = new Set<string>();
  const scan = (dir: string, ext: RegExp) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) scan(path, ext);
      else if (ext.test(name)) for (const m of readFileSync(path, 'utf8').matchAll(/["'(`]\/help\/([a-z0-9-]+)/g)) targets.add(m[1]!);
    }
  };
  scan(join(import.meta.dirname, '../../src'), /\.tsx?$/);
  scan(HELP_ROOT, /\.md$/);
  for (const slug of HELP_SLUGS) targets.add(slug);
  // helpHref(slug) links are checked by the type of HelpSlug; the rest are written out.
  const agent = zh();
  for (const target of targets) {
    const page = await agent.get(`/help/${target}`);
    assert.equal(page.status, 200, `/help/${target}`);
  }
  // The pages an article says it belongs to are pages the service has (a form's answer too: the
  // help panel goes by the address a page is served at, POST /recover/password/code among them).
  const routes = new Set(t.app.routeList.filter((r) => r.method === 'GET' || r.method === 'POST').map((r) => r.url));
  for (const article of loadArticles()['zh-CN'].values()) for (const page of article.pages) assert.ok(routes.has(page), `${article.slug}: ${page} is a page`);
  for (const [slug, category] of Object.entries(HELP_ARTICLES)) {
    for (const lang of LANGS) assert.ok(statSync(join(HELP_ROOT, lang, category, `${slug}.md`)).isFile());
  }
});

test('the 证件号码已被注册 prompt leads to the 情况二 article', async () => {
  const idNumber = '11010519491231002X';
  await t.registerPhone({ realName: { name: '张三', idNumber } });
  const { agent } = await t.registerPhone();
  const refused = await t.saveRealName(agent, { name: '张三', idNumber });
  assert.equal(refused.status, 409);
  assert.match(refused.text, /证件号码已被注册，查看【解决方法】/);
  const links = hrefs(/<div class="notice notice-info" id="case2-help">[\s\S]*?<\/div>/.exec(refused.body)?.[0] ?? '');
  assert.ok(links.includes('/help/id-already-registered'), 'the prompt links to the 情况二 article');
  const article = await agent.get('/help/id-already-registered');
  assert.equal(article.status, 200);
  assert.match(article.text, /情况二：证件号码已被注册/);
  assert.match(article.text, /我要重新注册/);
  // The solutions page the 【解决方法】 link opens points there too.
  const solutions = await agent.get('/help/duplicate-id');
  assert.ok(hrefs(mainOf(solutions.body)).includes('/help/id-already-registered'));
  // And the resolution centre links to what deregistration affects.
  const claimed = await t.saveRealName(agent, { name: '张三', idNumber, reRegister: '1' });
  assert.equal(claimed.status, 200);
  const centre = await agent.get('/account/resolution');
  assert.ok(hrefs(mainOf(centre.body)).includes('/help/deregistration'));
});

function firstResult(body: string): string | undefined {
  return /<ol class="help-article-list"><li><a href="([^"]+)"/.exec(body)?.[1];
}

function escape(text: string): string {
  return text
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;');
}

test('questions and searches are limited: past the limit a clear message, for the page and the chat', async () => {
  const limited = await getTestInstance({ limits: { helpQuestions: { points: 2, durationSeconds: 600 } } });
  try {
    const reader = new Agent(limited.app, { ip: '203.0.113.77', headers: { 'accept-language': 'zh-CN' } });
    assert.equal((await reader.get(`/help/search?q=${encodeURIComponent('忘记密码')}`)).status, 200);
    assert.equal((await reader.get(`/help/assistant?q=${encodeURIComponent('收不到验证码')}`)).status, 200);
    const page = await reader.get(`/help/assistant?q=${encodeURIComponent('怎么注销帐号')}`);
    assert.equal(page.status, 429);
    assert.match(page.text, /操作过于频繁/);
    const search = await reader.get(`/help/search?q=${encodeURIComponent('找回用户名')}`);
    assert.equal(search.status, 429);
    const chat = await reader.get(`/help/assistant/answer?q=${encodeURIComponent('找回用户名')}`);
    assert.equal(chat.status, 429);
    const body = JSON.parse(chat.text) as { kind: string; message: string };
    assert.equal(body.kind, 'invalid');
    assert.match(body.message, /操作过于频繁/);
    // An empty question spends nothing and still shows the form.
    assert.equal((await reader.get('/help/assistant')).status, 200);
  } finally {
    await limited.close();
  }
});

// The help centre's parts on their own: the tokenizer (Chinese words and bigrams, folded
// variants, stop words), what counts as a question, the articles' loader refusing a broken
// library, and the seam through which a later module adds answers from the person's account.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { looksChinese, tokenize } from '../../src/help/tokenize.ts';
import { checkQuestion, createAssistant, type AnswerSource } from '../../src/help/assistant.ts';
import { HELP_ROOT, loadArticles } from '../../src/help/articles.ts';
import { buildIndex } from '../../src/help/search.ts';
import { parseFrontMatter } from '../../src/lib/front-matter.ts';

test('Chinese is cut into words and bigrams; variants fold; question words drop out', () => {
  const terms = tokenize('收不到验证码怎么办');
  assert.ok(terms.includes('校验'), '验证码 is folded to 校验码');
  assert.ok(!terms.some((t) => t.includes('怎么')), 'question words are not terms');
  assert.deepEqual(new Set(tokenize('账户登陆')), new Set(tokenize('帐号登录')));
  assert.ok(tokenize('身分证').includes('证件') || tokenize('身分证').includes('身份'));
  assert.deepEqual(tokenize('ＩＰ受限'), tokenize('ip受限'), 'full-width letters fold');
  assert.deepEqual(tokenize('How do I reset the Password?'), ['reset', 'password']);
  assert.deepEqual([...new Set(tokenize('途径 1'))], ['途径'], 'a lone digit is no term');
  assert.equal(looksChinese('忘记密码'), true);
  assert.equal(looksChinese('forgot password'), false);
  assert.equal(looksChinese('邮箱 IP 受限'), true);
});

test('a question is one string with words, at most 200 characters', () => {
  assert.deepEqual(checkQuestion('  忘记  密码 '), { ok: true, text: '忘记 密码' });
  assert.deepEqual(checkQuestion(['a', 'b']), { ok: false, message: 'help.ask.one_question' });
  assert.deepEqual(checkQuestion(undefined), { ok: false, message: 'help.ask.empty' });
  assert.deepEqual(checkQuestion('\u0000\u0007 '), { ok: false, message: 'help.ask.empty' });
  assert.deepEqual(checkQuestion('？！…'), { ok: false, message: 'help.ask.no_words' });
  assert.equal(checkQuestion('问'.repeat(200)).ok, true);
  assert.deepEqual(checkQuestion('问'.repeat(201)), { ok: false, message: 'help.ask.too_long', params: { max: 200 } });
});

test('front matter: values and lists', () => {
  const { fields, body } = parseFrontMatter('---\ntitle: "A: b"\nkeywords: [一, two，三]\n---\n# x\n');
  assert.deepEqual(fields, { title: 'A: b', keywords: ['一', 'two', '三'] });
  assert.equal(body, '# x\n');
  assert.throws(() => parseFrontMatter('# no front matter'), /no front matter/);
});

test('the loader refuses a missing translation, an unlisted file and a link to no article', () => {
  const dir = mkdtempSync(join(tmpdir(), 'help-'));
  try {
    cpSync(HELP_ROOT, dir, { recursive: true });
    assert.doesNotThrow(() => loadArticles(dir));
    unlinkSync(join(dir, 'en', 'register', 'too-frequent.md'));
    writeFileSync(join(dir, 'zh-CN', 'register', 'stray.md'), '---\ntitle: x\ncategory: register\nsummary: y\n---\n');
    writeFileSync(join(dir, 'zh-CN', 'account', 'platforms.md'), '---\ntitle: x\ncategory: account\nsummary: y\n---\n见[别处](/help/nowhere)\n');
    assert.throws(
      () => loadArticles(dir),
      (error: Error) => {
        assert.match(error.message, /help\/en\/register\/too-frequent\.md is missing/);
        assert.match(error.message, /stray\.md: not in HELP_ARTICLES/);
        assert.match(error.message, /platforms\.md: links to \/help\/nowhere/);
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an AnswerSource adds passages from the person’s account beside the articles’ answer', async () => {
  const library = loadArticles();
  const asked: Array<string | undefined> = [];
  const photoReview: AnswerSource = {
    name: 'photo-review',
    async answer(question) {
      asked.push(question.accountId);
      return question.accountId ? [{ source: 'photo-review', heading: '您的照片审核', text: '审核中：照片已于 12 月 1 日提交。', html: '<p>审核中</p>' }] : [];
    },
  };
  const assistant = createAssistant(library, buildIndex(library), [photoReview]);
  const signedIn = await assistant.ask({ text: '照片审核要多久', lang: 'zh-CN', accountId: 'acc-1' });
  assert.equal(signedIn.kind, 'answer');
  if (signedIn.kind !== 'answer') return;
  assert.equal(signedIn.article.slug, 'path-photo');
  assert.deepEqual(
    signedIn.fromAccount.map((p) => p.source),
    ['photo-review'],
  );
  const anonymous = await assistant.ask({ text: '照片审核要多久', lang: 'zh-CN' });
  assert.equal(anonymous.kind === 'answer' && anonymous.fromAccount.length, 0);
  assert.deepEqual(asked, ['acc-1', undefined]);
  const invalid = await assistant.ask({ text: '', lang: 'zh-CN', accountId: 'acc-1' });
  assert.equal(invalid.kind, 'invalid');
  assert.equal(asked.length, 2, 'a question that cannot be asked reaches no source');
});

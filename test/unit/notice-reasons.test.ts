// Reasons staff type end up inside a sentence of a notice: every template that inserts one ends the
// sentence itself, so the person never reads doubled punctuation ("。。", "：：", "!.").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, disputeDismissed, enterpriseRequestRefused, photosRejected, vouchRejected } from '../../src/notifications/templates/index.ts';

const DOUBLED = /[。．.！!；;：:，,]{2,}|。\.|\.。/;
const at = new Date('2026-03-02T02:00:00Z');

test('a reason loses its own end punctuation and a leading colon; words inside it stay', () => {
  assert.equal(clause('照片模糊。'), '照片模糊');
  assert.equal(clause('  照片模糊！！ '), '照片模糊');
  assert.equal(clause('：证件被遮挡；'), '证件被遮挡');
  assert.equal(clause('blurry, please retake.'), 'blurry, please retake');
  assert.equal(clause('第1.5页不清楚'), '第1.5页不清楚');
  assert.equal(clause('。'), '');
});

test('photosRejected: one full stop after the reason, in both languages', () => {
  const notice = photosRejected({ zh: '照片不清晰：反光严重。', en: 'the photos are not sharp: glare.' }, at);
  assert.match(notice.zh, /：照片不清晰：反光严重。请登录后重新上传。/);
  assert.match(notice.en, /: the photos are not sharp: glare\. Sign in/);
  assert.doesNotMatch(notice.zh, DOUBLED);
  assert.doesNotMatch(notice.en, DOUBLED);
});

test('enterpriseRequestRefused: the typed reason ends where the template says', () => {
  const notice = enterpriseRequestRefused('某某科技有限公司', '公函未加盖公章。');
  assert.match(notice.zh, /未通过核实：公函未加盖公章。如有疑问/);
  assert.doesNotMatch(notice.zh, DOUBLED);
  assert.doesNotMatch(enterpriseRequestRefused('ACME', 'no stamp!').en, DOUBLED);
});

test('disputeDismissed: a reason with or without its own full stop ends with exactly one', () => {
  for (const note of ['新帐号已由本人持证到场验证', '新帐号已由本人持证到场验证。']) {
    const notice = disputeDismissed(note);
    assert.match(notice.zh, /不予支持：新帐号已由本人持证到场验证。$/);
    assert.match(notice.en, /uphold it: 新帐号已由本人持证到场验证\.$/);
    assert.doesNotMatch(notice.zh, DOUBLED);
  }
});

test('vouchRejected: a note of punctuation alone is no note', () => {
  assert.match(vouchRejected('同学信息与学籍不符；').zh, /未通过：同学信息与学籍不符。请改用/);
  assert.match(vouchRejected('。').zh, /身份核验未通过。请改用/);
  assert.match(vouchRejected('').en, /verification\. Please/);
  assert.doesNotMatch(vouchRejected('records differ.').en, DOUBLED);
});

// The console's overview (GET /console) as staff see it: headline numbers, registrations per
// Beijing day (empty days included, a 07:00 Beijing registration counted on its Beijing day),
// open reviews by working-day age (a weekend does not count), resolutions by path, messages by
// channel with failures in the danger colour; every chart an <svg role="img"> in a <figure>, no
// script anywhere. Rows are inserted directly: the dashboard only counts them. Runs on PGlite and,
// when the run has one, PostgreSQL (the SQL groups by Beijing day in the database).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { getTestInstance, type TestInstance } from '../helpers/app.ts';
import { Agent, type Page } from '../helpers/agent.ts';
import { createStaff, signInStaff } from '../helpers/staff.ts';
import { storageKinds } from '../helpers/db.ts';
import { DAY, HOUR } from '../../src/lib/clock.ts';
import type { OutboxChannel, OutboxState, ResolutionPath } from '../../src/db/schema.ts';

const BEIJING = 8 * HOUR;

/** Moves the clock to the next Wednesday 10:00 Beijing, so working-day ages are known. */
function toWednesdayMorning(t: TestInstance): void {
  const now = t.clock.now().getTime();
  const bjMidnight = Math.floor((now + BEIJING) / DAY) * DAY;
  const weekday = new Date(bjMidnight).getUTCDay();
  let target = bjMidnight + ((3 - weekday + 7) % 7) * DAY + 10 * HOUR - BEIJING;
  if (target <= now) target += 7 * DAY;
  t.clock.advance(target - now);
}

for (const storage of storageKinds()) {
  describe(`console dashboard (${storage})`, () => {
    let t: TestInstance;
    let support: Agent;
    let todayStart: number;
    /** An instant `days` from today (negative: before) at `hours` Beijing time. */
    const at = (days: number, hours: number) => new Date(todayStart + days * DAY + hours * HOUR);
    /** How the page labels the day `days` from today: 11月20日. */
    const dayLabel = (days: number) => {
      const d = new Date(todayStart + BEIJING + days * DAY);
      return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
    };

    let phones = 0;
    async function account(createdAt: Date): Promise<string> {
      const row = await t.db
        .insertInto('accounts')
        .values({
          phone: `1390000${String(++phones).padStart(4, '0')}`,
          email: null,
          phone_verified_at: createdAt,
          email_verified_at: null,
          password_hash: 'x',
          state: 'active',
          registered_via: 'phone',
          created_at: createdAt,
          activated_at: createdAt,
          updated_at: createdAt,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    }

    async function review(submittedAt: Date, state: 'pending' | 'approved' = 'pending') {
      const accountId = await account(at(-40, 12));
      await t.db
        .insertInto('photo_reviews')
        .values({
          account_id: accountId,
          state,
          submitted_at: submittedAt,
          claimed_by: null,
          claimed_at: null,
          decided_by: null,
          decided_at: null,
          reason: null,
        })
        .execute();
    }

    async function resolution(path: ResolutionPath, passedAt: Date) {
      const claimant = await account(at(-40, 12));
      await t.db
        .insertInto('resolutions')
        .values({
          id_index: Buffer.from(claimant),
          claimant_account_id: claimant,
          path,
          deregistered_account_ids: sql<string[]>`'{}'::uuid[]`,
          passed_at: passedAt,
        })
        .execute();
    }

    async function message(channel: OutboxChannel, state: OutboxState, createdAt: Date, times = 1) {
      for (let i = 0; i < times; i++) {
        // Waiting messages are due far ahead, so no worker pass could change them mid-test.
        await t.db
          .insertInto('outbox')
          .values({
            channel,
            state,
            recipient: 'someone',
            subject: null,
            body: 'text',
            html: null,
            template_params: null,
            next_attempt_at: at(30, 0),
            locked_until: null,
            last_error: state === 'failed' ? 'refused' : null,
            created_at: createdAt,
            sent_at: state === 'sent' ? createdAt : null,
          })
          .execute();
      }
    }

    before(async () => {
      t = await getTestInstance({ storage });
      toWednesdayMorning(t);
      support = await signInStaff(t, await createStaff(t, 'support.chen', ['support']));
      const now = t.clock.now().getTime();
      todayStart = Math.floor((now + BEIJING) / DAY) * DAY - BEIJING;

      // Registrations: 3 today (one at 07:00 Beijing, still yesterday in UTC), 2 yesterday (one at
      // 23:50), 1 on the first day of the window, 1 the day before it (not shown).
      for (const when of [at(0, 0.5), at(0, 7), at(0, 9), at(-1, 12), at(-1, 23 + 50 / 60), at(-29, 8), at(-30, 23)]) await account(when);

      // Reviews against a Wednesday 10:00 clock: under a working day, 1–2, 2–3 (one of them sent
      // on Saturday: four calendar days, two working days), and two past the promise.
      await review(at(0, 8));
      await review(at(-1, 9));
      await review(at(-2, 9));
      await review(at(-4, 12));
      await review(at(-5, 9));
      await review(at(-13, 9));
      await review(at(-20, 9), 'approved');

      await resolution('app', at(-1, 10));
      await resolution('app', at(-3, 10));
      await resolution('photo', at(0, 9));
      await resolution('records', at(-29, 1));
      await resolution('classmate', at(-35, 10));

      await message('email', 'sent', at(-2, 10), 3);
      await message('email', 'failed', at(-1, 10));
      await message('email', 'failed', at(-31, 10));
      await message('sms', 'sent', at(-5, 10));
      await message('sms', 'failed', at(0, 9), 2);
      await message('sms', 'queued', at(0, 9));
      await message('webhook', 'sending', at(0, 9));
    });
    after(() => t.close());

    const figure = (page: Page, id: string) => {
      const found = new RegExp(`<figure class="chart" id="${id}">(.*?)</figure>`, 's').exec(page.body)?.[1];
      assert.ok(found, `the page has the ${id} figure`);
      return found;
    };
    /** Each bar's class and <title>, in order. */
    const bars = (html: string) =>
      [...html.matchAll(/<rect class="([^"]+)"[^>]*><title>([^<]*)<\/title><\/rect>/g)].map((m) => ({ class: m[1]!, title: m[2]!.replace(/&lt;/g, '<') }));
    const headline = (page: Page, id: string) =>
      /id="headline-([a-z-]+)"[^>]*>.*?<dd>(\d+)<\/dd>/s.exec(page.body.slice(page.body.indexOf(`id="headline-${id}"`)))?.[2];

    test('a support member sees the headline numbers', async () => {
      const page = await support.get('/console');
      assert.equal(page.status, 200, page.text);
      assert.equal(headline(page, 'registrations-today'), '3');
      assert.equal(headline(page, 'open-reviews'), '6');
      assert.equal(headline(page, 'overdue-reviews'), '2');
      assert.equal(headline(page, 'failed-messages'), '3');
      assert.match(page.text, /今日注册 3/);
    });

    test('registrations: 30 Beijing days, empty ones included', async () => {
      const chart = bars(figure(await support.get('/console'), 'chart-registrations'));
      assert.equal(chart.length, 30);
      assert.equal(chart.at(-1)!.title, `${dayLabel(0)}：3`);
      assert.equal(chart.at(-2)!.title, `${dayLabel(-1)}：2`);
      assert.equal(chart.at(-11)!.title, `${dayLabel(-10)}：0`);
      assert.equal(chart[0]!.title, `${dayLabel(-29)}：1`);
      assert.equal(
        chart.reduce((n, b) => n + Number(b.title.split('：')[1]), 0),
        6,
        'the day before the window is not counted',
      );
    });

    test('open reviews by working-day age, overdue in the danger colour', async () => {
      const chart = bars(figure(await support.get('/console'), 'chart-reviews'));
      assert.deepEqual(
        chart.map((b) => b.title),
        ['< 1 工作日：1', '1–2 工作日：1', '2–3 工作日：2', '已超期：2'],
      );
      assert.equal(chart[3]!.class, 'bar bar-danger');
      assert.equal(chart[0]!.class, 'bar');
    });

    test('resolutions by path in the last 30 days', async () => {
      const html = figure(await support.get('/console'), 'chart-resolutions');
      assert.deepEqual(
        bars(html).map((b) => b.title),
        ['途径1 APP自助验证：2', '途径2 客服协助验证：1', '途径3 大学同班同学协助：0', '途径4 学籍/学历信息：1'],
      );
    });

    test('messages per channel: failures drawn and written out', async () => {
      const html = figure(await support.get('/console'), 'chart-messages');
      const chart = bars(html);
      const title = (text: string) => chart.find((b) => b.title === text);
      assert.ok(title('邮件·已发送：3'));
      assert.ok(title('邮件·失败：1'), 'the failure 31 days ago is not counted');
      assert.ok(title('短信·失败：2'));
      assert.ok(title('短信·等待发送：1'));
      assert.ok(title('Webhook·等待发送：1'), 'sending counts as waiting');
      assert.ok(title('后端登出通知·失败：0'));
      for (const bar of chart.filter((b) => b.title.includes('·失败'))) assert.equal(bar.class, 'bar bar-danger');
      const sms = /<tr data-channel="sms">(.*?)<\/tr>/s.exec(html)?.[1];
      assert.ok(sms);
      assert.deepEqual(
        [...sms.matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((m) => m[1]),
        ['1', '2', '1'],
      );
      assert.match(sms, /<td class="count-danger">2<\/td>/);
    });

    test('charts are server-drawn SVG figures; no script, no inline style', async () => {
      const page = await support.get('/console');
      // The charts need no script: the page's only one is the console-wide app.js (focus of an error summary).
      assert.deepEqual(
        [...page.body.matchAll(/<script[^>]*>/gi)].map((m) => m[0]),
        ['<script src="/static/app.js" defer>'],
      );
      assert.doesNotMatch(page.body, /\sstyle=/i);
      const figures = [...page.body.matchAll(/<figure class="chart" id="[^"]+">\s*<figcaption>([^<]+)<\/figcaption>(.*?)<\/figure>/gs)];
      assert.equal(figures.length, 4);
      for (const [, caption, inner] of figures) {
        assert.match(inner!, new RegExp(`<svg [^>]*role="img" aria-label="${caption}"`));
        assert.match(inner!, /<table [^>]*class="grid chart-data">/);
      }
    });

    test('every staff role may see it; a person is sent to the console sign-in', async () => {
      const reviewer = await signInStaff(t, await createStaff(t, 'reviewer.zhao', ['reviewer']), '192.0.2.60');
      const page = await reviewer.get('/console');
      assert.equal(page.status, 200, page.text);
      assert.match(page.text, /已超期/);
      const records = await signInStaff(t, await createStaff(t, 'records.sun', ['records']), '192.0.2.61');
      assert.equal((await records.get('/console')).status, 200);

      const person = await new Agent(t.app).get('/console');
      assert.equal(person.status, 303);
      assert.equal(person.location, '/console/login');
    });

    test('codes_low shows a warning for a single digit only', async () => {
      assert.match((await support.get('/console?codes_low=2')).text, /恢复码只剩 2 个/);
      assert.doesNotMatch((await support.get('/console?codes_low=12')).text, /恢复码只剩/);
      assert.doesNotMatch((await support.get('/console?codes_low=%3Cb%3E')).text, /恢复码只剩/);
    });

    test('in English', async () => {
      const page = await support.get('/console?lang=en');
      assert.equal(page.status, 200);
      const reviews = bars(figure(page, 'chart-reviews'));
      assert.equal(reviews[3]!.title, 'Overdue: 2');
      const messages = bars(figure(page, 'chart-messages'));
      assert.ok(messages.some((b) => b.title === 'SMS · Failed: 2'));
      assert.match(page.text, /Registrations today 3/);
    });
  });
}

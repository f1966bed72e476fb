// What a test does as a person, through the same pages and API a person uses: register by phone
// or email (the code or link read from the dev outbox), add real-name information, sign in, ask
// for a Bearer token, answer a captcha form. Every person comes from their own IP address, so
// the per-IP limits of one test never count another's people.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../src/db/client.ts';
import type { ManualClock } from '../../src/lib/clock.ts';
import { activateByLink, Agent, codeIn, type Page } from './agent.ts';

export const TEST_PASSWORD = 'a person test password';

export interface OutboxMessage {
  id: string;
  channel: string;
  to: string;
  subject: string | null;
  text: string;
  createdAt: string;
}

export interface RealName {
  name: string;
  idNumber: string;
  idType?: string;
  /** 我要重新注册: claim a number another account holds. */
  reRegister?: '1';
}

export interface Person {
  /** The signed-in browser. */
  agent: Agent;
  accountId: string;
  /** The page registration ended on (or the 基本信息 page when real-name information was saved). */
  page: Page;
}

export interface People {
  /** A new mainland mobile number, different from every other this instance has given. */
  nextPhone(): string;
  /** A new IP address for a browser of its own. */
  nextIp(): string;
  /** Registers by phone on the pages (免费获取, the code, 立即注册), then saves `realName` in 基本信息. */
  registerPhone(options?: {
    phone?: string;
    password?: string;
    realName?: RealName;
    /** More fields of the registration form itself (email, or the real-name fields at registration). */
    fields?: Record<string, string>;
    ip?: string;
    userAgent?: string;
  }): Promise<Person & { phone: string }>;
  /** Registers by email and opens the activation link with the password, as the person does. */
  registerEmail(email: string, options?: { password?: string; ip?: string }): Promise<Person & { email: string }>;
  /** 基本信息 in the person's browser. */
  saveRealName(agent: Agent, realName: RealName): Promise<Page>;
  /** Signs in on /login in a new browser. */
  signIn(username: string, password?: string, options?: { ip?: string; userAgent?: string }): Promise<{ agent: Agent; page: Page }>;
  /** POST /api/v1/sessions: the Bearer token. */
  apiToken(username: string, password?: string, ip?: string): Promise<string>;
  /** Every dev-outbox message to `to`, newest first. */
  messagesTo(to: string): Promise<OutboxMessage[]>;
  /** The newest dev-outbox message to `to`. */
  latestMessageTo(to: string): Promise<OutboxMessage | undefined>;
  /**
   * Fills a form that carries a captcha: the page is fetched first so its captcha id is known, and
   * the manual clock moves a second (messages are listed newest first by their time).
   */
  submitWithCaptcha(agent: Agent, from: string, action: string, fields: Record<string, string>, answer: string): Promise<Page>;
  accountIdOf(contact: { phone: string } | { email: string }): Promise<string>;
}

export function peopleOf(app: FastifyInstance, db: Db, clock: ManualClock): People {
  let phones = 0;
  let ips = 0;
  const nextPhone = () => `147${String(10_000_000 + ++phones * 7_919).slice(-8)}`;
  const nextIp = () => {
    const n = ++ips;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  };
  const messagesTo = async (to: string) =>
    ((await app.inject({ method: 'GET', url: '/dev/outbox.json' })).json() as OutboxMessage[]).filter((m) => m.to === to);
  const latestMessageTo = async (to: string) => (await messagesTo(to))[0];
  const accountIdOf = async (contact: { phone: string } | { email: string }) => {
    const row =
      'phone' in contact
        ? await db.selectFrom('accounts').select('id').where('phone', '=', contact.phone).executeTakeFirstOrThrow()
        : await db.selectFrom('accounts').select('id').where('email', '=', contact.email).executeTakeFirstOrThrow();
    return row.id;
  };
  const saveRealName = (agent: Agent, realName: RealName) =>
    agent.submit('/account/identity', { idType: 'resident_id', ...realName }, { from: '/account/identity' });

  return {
    nextPhone,
    nextIp,
    messagesTo,
    latestMessageTo,
    accountIdOf,
    saveRealName,

    async registerPhone(options = {}) {
      const phone = options.phone ?? nextPhone();
      const agent = new Agent(app, { ip: options.ip ?? nextIp(), ...(options.userAgent ? { userAgent: options.userAgent } : {}) });
      const sent = await agent.submit('/register/phone/code', { phone }, { from: '/register/phone' });
      assert.equal(sent.status, 200, sent.text);
      const code = codeIn((await latestMessageTo(phone))!.text);
      let page = await agent.submit('/register/phone', { phone, code, password: options.password ?? TEST_PASSWORD, ...options.fields });
      assert.equal(page.status, 303, page.text);
      if (options.realName) {
        page = await saveRealName(agent, options.realName);
        assert.equal(page.status, 200, page.text);
      }
      return { phone, agent, page, accountId: await accountIdOf({ phone }) };
    },

    async registerEmail(email, options = {}) {
      const password = options.password ?? TEST_PASSWORD;
      const agent = new Agent(app, { ip: options.ip ?? nextIp() });
      await agent.submit('/register/email', { email, password }, { from: '/register/email' });
      const link = /https?:\/\/[^/]+(\/activate\?token=\S+)/.exec((await latestMessageTo(email))!.text)![1]!;
      const page = await activateByLink(agent, link, password);
      assert.equal(page.status, 303, page.text);
      return { email, agent, page, accountId: await accountIdOf({ email }) };
    },

    async signIn(username, password = TEST_PASSWORD, options = {}) {
      const agent = new Agent(app, { ip: options.ip ?? nextIp(), ...(options.userAgent ? { userAgent: options.userAgent } : {}) });
      const page = await agent.submit('/login', { username, password }, { from: '/login' });
      return { agent, page };
    },

    async apiToken(username, password = TEST_PASSWORD, ip) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/sessions', remoteAddress: ip ?? nextIp(), payload: { username, password } });
      assert.equal(res.statusCode, 201, res.body);
      return (res.json() as { session: { token: string } }).session.token;
    },

    async submitWithCaptcha(agent, from, action, fields, answer) {
      clock.advance(1_000);
      const page = await agent.get(from);
      const captchaId = /name="captchaId" value="([^"]+)"/.exec(page.body)![1]!;
      return agent.submit(action, { ...fields, captchaId, captcha: answer });
    },
  };
}

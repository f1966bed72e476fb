// A browser-like client over Fastify's inject: keeps cookies, reads the CSRF token from the last
// page, submits forms. Tests then assert on what a person would see (text, status, redirects).
import type { FastifyInstance } from 'fastify';

export interface Page {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  location: string | undefined;
  /** Visible text with tags stripped, for "the page says …" assertions. */
  text: string;
}

export class Agent {
  readonly cookies = new Map<string, string>();
  csrf: string | undefined;
  readonly app: FastifyInstance;
  readonly ip: string;
  readonly userAgent: string;
  /** Sent with every request (say, what a TLS-terminating proxy adds). */
  readonly headers: Record<string, string>;
  constructor(app: FastifyInstance, options: { ip?: string; userAgent?: string; headers?: Record<string, string> } = {}) {
    this.app = app;
    this.ip = options.ip ?? '203.0.113.10';
    this.userAgent = options.userAgent ?? 'test-agent';
    this.headers = options.headers ?? {};
  }

  async get(url: string): Promise<Page> {
    return this.#send('GET', url);
  }

  /**
   * Posts a form with the CSRF token of the last page (fetches `from` first when given). The agent
   * ticks the consent boxes a person who agrees would tick (consentTicks) unless `consent: false`
   * (tests of what happens without them) or the fields say otherwise.
   */
  async submit(url: string, fields: Record<string, string>, options: { from?: string; csrf?: string | null; consent?: boolean } = {}): Promise<Page> {
    if (options.from) await this.get(options.from);
    const body = new URLSearchParams({ ...(options.consent === false ? {} : consentTicks(url, fields)), ...fields });
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token) body.set('_csrf', token);
    return this.#send('POST', url, body.toString(), 'application/x-www-form-urlencoded');
  }

  /** Posts JSON with the CSRF token of the last page in `_csrf`, as a page script does; the answer parsed. */
  async postJson(url: string, body: Record<string, unknown> = {}): Promise<Page & { json: Record<string, unknown> }> {
    const page = await this.#send('POST', url, JSON.stringify({ ...(this.csrf ? { _csrf: this.csrf } : {}), ...body }), 'application/json');
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(page.body) as Record<string, unknown>;
    } catch {
      // not JSON: the test looks at the status and body
    }
    return { ...page, json };
  }

  /** Posts a multipart form (file uploads) with the CSRF token of the last page as a field. */
  async submitMultipart(
    url: string,
    fields: Record<string, string>,
    files: Record<string, { filename: string; contentType: string; data: Buffer }>,
    options: { consent?: boolean } = {},
  ): Promise<Page> {
    const boundary = `----tongxing${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    const all = { ...(this.csrf ? { _csrf: this.csrf } : {}), ...(options.consent === false ? {} : consentTicks(url, fields)), ...fields };
    for (const [name, value] of Object.entries(all)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    }
    for (const [name, file] of Object.entries(files)) {
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file.filename}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
        ),
      );
      parts.push(file.data, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return this.#send('POST', url, Buffer.concat(parts), `multipart/form-data; boundary=${boundary}`);
  }

  async #send(method: 'GET' | 'POST', url: string, payload?: string | Buffer, contentType?: string): Promise<Page> {
    const headers: Record<string, string> = { ...this.headers, 'user-agent': this.userAgent };
    if (contentType) headers['content-type'] = contentType;
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.app.inject({ method, url, headers, remoteAddress: this.ip, ...(payload !== undefined ? { payload } : {}) });
    for (const c of res.cookies as Array<{ name: string; value: string; expires?: Date; maxAge?: number }>) {
      const expired = (c.expires && c.expires.getTime() <= Date.now()) || c.maxAge === 0 || c.value === '';
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (token) this.csrf = token[1];
    return {
      status: res.statusCode,
      body: res.body,
      headers: res.headers as Page['headers'],
      location: res.headers.location as string | undefined,
      text: htmlText(res.body),
    };
  }
}

/** Forms that ask 我已阅读并同意《用户协议》《个人信息保护政策》, and those that collect an ID number with its own consent. */
const AGREE_FORMS = new Set(['/register/phone', '/register/email', '/register/enterprise']);
const SENSITIVE_FORMS = new Set(['/register/phone', '/account/identity']);
/** Forms that collect sensitive information whatever else they carry: ID photos, a face check. */
const SENSITIVE_ALWAYS = new Set(['/account/resolution/photo', '/account/resolution/app']);

/** The consent boxes of the form at `url` that a person who agrees ticks. */
export function consentTicks(url: string, fields: Record<string, unknown>): Record<string, string> {
  const path = url.split('?')[0]!;
  const sensitive = (SENSITIVE_FORMS.has(path) && fields.idNumber !== undefined) || SENSITIVE_ALWAYS.has(path);
  return { ...(AGREE_FORMS.has(path) ? { agree: '1' } : {}), ...(sensitive ? { agreeSensitive: '1' } : {}) };
}

export function htmlText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The newest dev-outbox message to `to`, as DESIGN.md's /dev/outbox.json describes it. */
export async function latestMessageTo(app: FastifyInstance, to: string) {
  const res = await app.inject({ method: 'GET', url: '/dev/outbox.json' });
  const messages = res.json() as Array<{ id: string; channel: string; to: string; subject: string | null; text: string; createdAt: string }>;
  return messages.find((m) => m.to === to);
}

export function codeIn(text: string): string {
  const match = /(\d{6})/.exec(text);
  if (!match) throw new Error(`no 6-digit code in: ${text}`);
  return match[1]!;
}

/** Opens an activation link (a path) and completes it with the password, as the person does. */
export async function activateByLink(agent: Agent, linkPath: string, password: string): Promise<Page> {
  const page = await agent.get(linkPath);
  const token = /name="token" value="([^"]+)"/.exec(page.body)?.[1];
  if (!token) return page;
  return agent.submit('/activate', { token, password });
}

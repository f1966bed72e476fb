// A browser without a browser, for protocol tests over real HTTP: a cookie jar (name + path, the
// host ignored: everything is 127.0.0.1), manual redirects, and form posts with the CSRF token of
// the last page. It sends with `send`: fetch, or a recording one (test/helpers/observed-fetch.ts).
export class Browserless {
  readonly #cookies = new Map<string, { value: string; path: string }>();
  readonly #send: (input: URL, init: RequestInit) => Promise<Response>;
  csrf: string | undefined;
  lastBody = '';

  constructor(send: (input: URL, init: RequestInit) => Promise<Response> = fetch) {
    this.#send = send;
  }

  #cookieHeader(url: URL): string {
    return [...this.#cookies]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([key, c]) => `${key.split('\0')[0]}=${c.value}`)
      .join('; ');
  }

  #store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((p) => p.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? url.pathname.replace(/\/[^/]*$/, '') ?? '/';
      const expired =
        attrs.some((a) => /^expires=/i.test(a) && new Date(a.slice(8)).getTime() < Date.now()) || attrs.some((a) => /^max-age=0$/i.test(a)) || value === '';
      const key = `${name}\0${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { value, path });
    }
  }

  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = { cookie: this.#cookieHeader(target) };
    let body: string | undefined;
    if (init.form) {
      const form = new URLSearchParams(init.form);
      if (this.csrf && !form.has('_csrf')) form.set('_csrf', this.csrf);
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await this.#send(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.#store(target, response);
    const text = await response.clone().text();
    this.lastBody = text;
    const token = /name="_csrf" value="([^"]+)"/.exec(text);
    if (token) this.csrf = token[1];
    return response;
  }

  /** Follows redirects from `url` while they stay on `origin`; returns the first answer that leaves it or is not a redirect. */
  async follow(url: string, origin: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ response: Response; url: string }> {
    let response = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < 20 && response.status >= 300 && response.status < 400; hops++) {
      const next = new URL(response.headers.get('location')!, current).toString();
      if (!next.startsWith(origin)) return { response, url: next };
      current = next;
      response = await this.request(next);
    }
    return { response, url: current };
  }
}

/** Follows redirects wherever they go, across ports (Tongxing and loopback platforms): where it ended, every URL on the way. */
export async function browse(browser: Browserless, url: string, init: { form?: Record<string, string> } = {}) {
  let response = await browser.request(url, init);
  let current = url;
  const visited = [url];
  for (let hops = 0; hops < 25 && response.status >= 300 && response.status < 400; hops++) {
    current = new URL(response.headers.get('location')!, current).toString();
    visited.push(current);
    response = await browser.request(current);
  }
  return { response, url: current, visited, body: browser.lastBody };
}

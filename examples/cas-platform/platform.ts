// An example CAS platform (the kind most university, exam and government platforms are) that signs
// people in through Tongxing's CAS server with a stock npm CAS client, http-cas-client (CAS 3.0:
// /p3/serviceValidate and its attributes, renew, gateway, proxy tickets, single logout). Plain
// node:http. `/` is the protected page; with proxying on, `/via?target=URL` fetches another CAS
// platform's page with a proxy ticket, the way a portal calls a back-end service for the person.
// Run: CAS_URL=http://127.0.0.1:8080/cas PORT=3100 node examples/cas-platform/main.ts
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type CasHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => Promise<boolean>;
interface Principal {
  user: string;
  attributes?: Record<string, string | string[]>;
}
interface ServiceTicket {
  principal: Principal;
  request(url: string): Promise<{ get(path: string): Promise<{ data: string }> }>;
}

export interface CasPlatformOptions {
  /** Tongxing's CAS server, e.g. http://127.0.0.1:8080/cas */
  casUrl: string;
  name: string;
  port?: number;
  /** Always ask for the password (renew=true at login and at validation). */
  renew?: boolean;
  /** Come back unauthenticated rather than show a sign-in page (gateway=true): answers 403 then. */
  gateway?: boolean;
  /** Ask for a PGT at validation (the platform must be registered with --proxy). */
  proxy?: boolean;
  /** Accept proxy tickets as well as service tickets (validates at /p3/proxyValidate). */
  acceptProxyTickets?: boolean;
}

export interface RunningCasPlatform {
  url: string;
  close(): Promise<void>;
}

/**
 * http-cas-client's agent starts an interval (expiring its PGTIOU map) that it never unrefs, which
 * would keep a test process alive after the platform closes: made while setInterval unrefs.
 */
function createHandler(options: Record<string, unknown>): CasHandler {
  const httpCasClient = require('http-cas-client') as (o: Record<string, unknown>) => CasHandler;
  const original = globalThis.setInterval;
  globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => original(...args).unref()) as typeof setInterval;
  try {
    return httpCasClient(options);
  } finally {
    globalThis.setInterval = original;
  }
}

const escape = (text: string) => text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);

export async function startCasPlatform(options: CasPlatformOptions): Promise<RunningCasPlatform> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const handler = createHandler({
    casServerUrlPrefix: options.casUrl,
    serverName: url,
    client: {
      renew: options.renew ?? false,
      gateway: options.gateway ?? false,
      slo: true,
      ...(options.proxy || options.acceptProxyTickets
        ? {
            proxy: {
              acceptAny: options.acceptProxyTickets ?? false,
              ...(options.proxy ? { callbackUrl: `${url}/pgt-callback`, receptorUrl: '/pgt-callback' } : {}),
            },
          }
        : {}),
    },
  });
  server.on('request', (req, res) => {
    void (async () => {
      if (!(await handler(req, res))) {
        // gateway: the CAS server sent the person back without a ticket — nobody is signed in.
        if (res.statusCode === 403 && !res.headersSent) {
          res.setHeader('content-type', 'text/html; charset=utf-8');
          return res.end(`<!doctype html><title>${escape(options.name)}</title><p id="anonymous">未登录</p>`);
        }
        return res.end();
      }
      const ticket = (req as unknown as { ticket: ServiceTicket }).ticket;
      const principal = (req as unknown as { principal: Principal }).principal;
      const here = new URL(req.url ?? '/', url);
      if (here.pathname === '/via' && options.proxy) {
        const target = new URL(here.searchParams.get('target') ?? '');
        const client = await ticket.request(target.origin + '/');
        const answer = await client.get(target.pathname);
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(`<h1>${escape(options.name)} via proxy</h1><div id="proxied">${answer.data}</div>`);
      }
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        `<!doctype html><title>${escape(options.name)}</title><h1>${escape(options.name)}</h1>` +
          `<p id="user">${escape(principal.user)}</p><pre id="attributes">${escape(JSON.stringify(principal.attributes ?? {}))}</pre>` +
          `<a id="logout" href="${escape(options.casUrl)}/logout?service=${encodeURIComponent(url + '/')}">退出</a>`,
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

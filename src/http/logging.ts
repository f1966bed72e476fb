// Request logs: method, path without its query string (activation tokens travel there) and with
// any secret in the path itself masked (a dispute link's token), status and timing. Never a body,
// a cookie, an Authorization header, a phone, an email or a code.
import type { FastifyServerOptions } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return {
    level,
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: loggedPath(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    redact: { paths: ['req.headers', 'headers', 'body', 'password', 'code', 'phone', 'email'], remove: true },
  };
}

/** The process's one logger: requests (Fastify) and the outbox worker write through it. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = loggerOptions(level);
  if (options === false || typeof options !== 'object') return pino({ level: 'silent' });
  return destination ? pino(options as object, destination) : pino(options as object);
}

export function stripQuery(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/** Paths that carry a single-use secret as a segment: logged with the secret masked. */
const SECRET_SEGMENTS = [/^(\/dispute\/)[^/]+/];

export function loggedPath(url: string): string {
  let path = stripQuery(url);
  for (const pattern of SECRET_SEGMENTS) path = path.replace(pattern, '$1…');
  return path;
}

// What no route should have to think about: a request whose body cannot be read, or whose text
// holds a NUL character (PostgreSQL refuses it in text, which would surface as a 500), is answered
// 400 before any route runs, and nothing changes. And the API reads JSON only: a browser sends a
// form, text/plain or multipart post to another site without asking, but JSON only after a CORS
// preflight, which Tongxing never approves — so no other website can make its visitors' browsers
// call the API (say, to send SMS codes to numbers of its choosing).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';

/** RFC 2046: 1–70 characters from this set, the last one not a space. */
const BOUNDARY = /;\s*boundary=(?:"([0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?])"|([0-9A-Za-z'()+_,\-./:=?]{1,70}))\s*(?:;|$)/i;

const JSON_TYPE = /^\s*application\/json\s*(?:;|$)/i;

export function installInputGuards(app: FastifyInstance): void {
  // Clients generated from the OpenAPI document (openapi-fetch) send Content-Type: application/json
  // on every request, a bodiless DELETE too: an empty JSON body is no body, not a malformed one.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return json(request, String(body), done);
  });
  app.addHook('onRequest', async (request) => {
    const type = request.headers['content-type'];
    if (typeof type === 'string' && /^\s*multipart\//i.test(type) && !BOUNDARY.test(type)) throw badRequest();
    if (request.url.startsWith('/api/') && carriesBody(request.headers) && !(typeof type === 'string' && JSON_TYPE.test(type))) {
      throw new AppError('error.json_only', { status: 415 });
    }
  });
  app.addHook('preValidation', async (request) => {
    if (holdsNul(request.body) || holdsNul(request.query) || holdsNul(request.params)) throw badRequest();
  });
}

/** Errors the multipart parser raises for a body that is not what its headers say. */
const MALFORMED = [/^Multipart: /, /^Boundary required$/, /unexpected end of multipart data$/i, /^The needle cannot /, /^Malformed part header$/];

export function isMalformedBody(error: { message?: string; statusCode?: number | undefined; code?: string | undefined }): boolean {
  if (error.statusCode !== undefined) return false;
  // A file part whose body ends before its closing boundary: the upload was cut off (or lied).
  if (error.code === 'ERR_STREAM_PREMATURE_CLOSE') return true;
  return typeof error.message === 'string' && MALFORMED.some((m) => m.test(error.message!));
}

/** Whether a request has a body at all (a bodiless POST, such as a sign-out, needs no type). */
function carriesBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['content-type'] !== undefined || headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

function badRequest(): AppError {
  return new AppError('error.bad_request', { status: 400 });
}

/** A NUL anywhere in a string, or in a key or value of an object or array (an upload's bytes excepted). */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 8 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return false;
  if (Array.isArray(value)) return value.some((v) => holdsNul(v, depth + 1));
  return Object.entries(value as Record<string, unknown>).some(([k, v]) => k.includes('\u0000') || (k !== 'data' && holdsNul(v, depth + 1)));
}

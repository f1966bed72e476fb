// Requests Tongxing makes to addresses others configured (platform webhooks) must not be turned
// against the service's own network (SSRF): in production every address a host name resolves to
// is checked when the connection is made — not before, so a name that changes its answer between
// a check and the connection (DNS rebinding) gains nothing — and loopback, private, link-local,
// shared, documentation, multicast and reserved ranges are refused. Redirects are not followed.
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const special = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  special.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  special.addSubnet(net, bits, 'ipv6');

/** True for an address no platform should be reached at (IPv4-mapped IPv6 judged as IPv4). */
export function isSpecialUseAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return special.check(mapped[1]!, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return special.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
}

/** dns.lookup that fails when any answer is a special-use address. */
function publicOnlyLookup(
  hostname: string,
  options: object,
  callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '');
    const list = addresses as LookupAddress[];
    if (list.length === 0 || list.some((a) => isSpecialUseAddress(a.address)))
      return callback(new RefusedAddressError(`${hostname} resolves to an address that is not public`), '');
    if ((options as { all?: boolean }).all) return callback(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
}

/** POSTs a body and answers the status; only public addresses unless `allowPrivate`. */
export function post(url: string, init: { headers: Record<string, string>; body: string; timeoutMs: number; allowPrivate: boolean }): Promise<number> {
  return send('POST', url, { ...init, headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) } });
}

/** GETs a URL (a CAS proxy callback) and answers the status, on the same terms as post(). */
export function get(url: string, init: { timeoutMs: number; allowPrivate: boolean }): Promise<number> {
  return send('GET', url, { ...init, headers: {}, body: '' });
}

function send(
  method: 'GET' | 'POST',
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number; allowPrivate: boolean },
): Promise<number> {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return Promise.reject(new RefusedAddressError(`${target.protocol} is not allowed`));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!init.allowPrivate && isIP(host) && isSpecialUseAddress(host)) return Promise.reject(new RefusedAddressError(`${host} is not a public address`));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      target,
      { method, headers: init.headers, timeout: init.timeoutMs, ...(init.allowPrivate ? {} : { lookup: publicOnlyLookup as never }) },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    // `timeout` alone fires only on an idle socket: a peer dribbling a byte at a time would hold
    // the request (and the outbox worker or a validation waiting on it) for ever. This is the
    // whole request's deadline.
    const deadline = setTimeout(() => outgoing.destroy(new Error(`no answer within ${init.timeoutMs} ms`)), init.timeoutMs);
    deadline.unref();
    outgoing.on('close', () => clearTimeout(deadline));
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${init.timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(init.body || undefined);
  });
}

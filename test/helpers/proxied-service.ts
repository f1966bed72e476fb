// `tongxing serve` on a PostgreSQL database reached through a TCP proxy the test controls, so a
// test can stop or freeze "the database" while the shared server stays up for every other test.
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { runTongxing, type Running } from './service-process.ts';

/** Starts the proxy and the service; `cleanups` receives what ends both (killed, then closed). */
export async function serveThroughProxy(
  databaseUrl: string,
  cleanups: Array<() => Promise<unknown>>,
): Promise<{ base: string; proxy: TcpProxy; server: Running }> {
  const url = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
  cleanups.push(() => proxy.close());
  url.port = String(proxy.port);
  const server = runTongxing(['serve'], { DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '4' });
  cleanups.push(async () => {
    server.child.kill('SIGKILL');
    await server.exit;
  });
  return { base: await server.url, proxy, server };
}

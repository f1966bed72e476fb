// A TCP proxy in front of a server (PostgreSQL, Redis) that a process test can take away without
// touching the server every other test shares: `down` ends every connection and refuses new ones
// (what clients see when the server is stopped, pg_ctl -m fast or immediate), `frozen` keeps
// connections open and passes nothing (a hung server, a network partition), `up` passes bytes.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

export type ProxyState = 'up' | 'down' | 'frozen';

export interface TcpProxy {
  port: number;
  set(state: ProxyState): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let state: ProxyState = 'up';
  const pairs = new Set<{ client: Socket; upstream: Socket | undefined }>();
  const server: Server = createServer((client) => {
    const pair: { client: Socket; upstream: Socket | undefined } = { client, upstream: undefined };
    client.on('error', () => {});
    if (state === 'down') return void client.destroy();
    pairs.add(pair);
    client.on('close', () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    // A frozen proxy accepts and never answers, as a hung server's kernel does.
    if (state === 'frozen') return;
    const upstream = connect(target.port, target.host);
    pair.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk) => {
      if (state === 'up') upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (state === 'up') client.write(chunk);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no proxy port');
  return {
    port: address.port,
    set(next) {
      // Leaving `frozen` or going `down` ends the connections: what was held back is lost, as on a
      // real outage, and the clients must notice and reconnect.
      if (next === 'down' || (state === 'frozen' && next === 'up')) for (const pair of pairs) pair.client.destroy();
      state = next;
    },
    async close() {
      for (const pair of pairs) pair.client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

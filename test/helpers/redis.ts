// Redis for tests: the machine's server (or TEST_REDIS_URL), optionally through a TCP proxy the
// test can stop or freeze, with the client settings the service itself uses (main.ts).
import { Redis } from 'ioredis';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export const redisTestUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connected client, or undefined when no Redis answers (outside CI the test then does nothing). */
export async function openTestRedis(
  options: { throughProxy?: boolean } = {},
): Promise<{ redis: Redis; proxy: TcpProxy | undefined; close(): Promise<void> } | undefined> {
  const server = new URL(redisTestUrl());
  const proxy = options.throughProxy ? await startTcpProxy({ host: server.hostname, port: Number(server.port || 6379) }) : undefined;
  const reached = proxy ? `redis://127.0.0.1:${proxy.port}` : server.toString();
  const redis = new Redis(reached, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1_000, connectTimeout: 2_000, lazyConnect: true });
  redis.on('error', () => {});
  const close = async () => {
    redis.disconnect();
    await proxy?.close();
  };
  try {
    await redis.connect();
    await redis.ping();
  } catch {
    await close();
    if (process.env.CI) throw new Error(`CI expects Redis at ${server}`);
    console.log(`notice: no Redis at ${server}; this test does nothing in this run`);
    return undefined;
  }
  return { redis, proxy, close };
}

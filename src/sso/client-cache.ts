// The provider asks for a platform on every authorization, token and userinfo request; the
// adapter (adapter.ts) keeps what it read for a short while. A change made in this process (the
// console, clients.ts) drops the platform from every cache at once, so the running provider signs
// nobody in to a disabled platform and takes no rotated-out secret. Another node of the service
// reads the change from the database when its entry expires (CLIENT_CACHE_MS).
import type { AdapterPayload } from 'oidc-provider';

export const CLIENT_CACHE_MS = 30_000;

type Cache = Map<string, { at: number; payload: AdapterPayload | undefined }>;
const caches = new Set<WeakRef<Cache>>();
/** Counts changes: a read that began before one is not kept (it may hold what was just changed). */
let epoch = 0;
export const clientCacheEpoch = () => epoch;

export function newClientCache(): Cache {
  const cache: Cache = new Map();
  caches.add(new WeakRef(cache));
  return cache;
}

/** Every provider in this process reads the platform afresh on its next request. */
export function forgetCachedClient(clientId: string): void {
  epoch++;
  for (const ref of caches) {
    const cache = ref.deref();
    if (cache) cache.delete(clientId);
    else caches.delete(ref);
  }
}

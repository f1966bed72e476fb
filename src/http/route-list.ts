// Every route the app serves, as it registers them: the fuzz test walks this list so that a new
// route is fuzzed without anyone remembering to add it.
import type { FastifyInstance } from 'fastify';

export interface ListedRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeList: readonly ListedRoute[];
  }
}

/** Call before any route is registered. */
export function listRoutes(app: FastifyInstance): void {
  const routes: ListedRoute[] = [];
  app.decorate('routeList', routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
}

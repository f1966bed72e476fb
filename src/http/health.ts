// /healthz: the process answers. /readyz: the database answers and every migration is applied,
// so a load balancer only sends traffic to an instance that can serve it.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import { pingDb } from '../db/client.ts';
import { migrationsApplied } from '../db/migrate.ts';

export function registerHealth(app: FastifyInstance, db: Db): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await pingDb(db);
      if (!(await migrationsApplied(db))) return reply.status(503).send({ status: 'migrations pending' });
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ status: 'database unreachable' });
    }
  });
}

// The dev outbox of DESIGN.md: outside production every message is also readable here, so
// codes and links can be used without a phone or a mail server. Not registered in production.
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client.ts';
import { renderPage } from '../http/render.tsx';
import { recentMessages } from './outbox.ts';

export function registerDevOutbox(app: FastifyInstance, db: Db): void {
  const recent = async () =>
    (await recentMessages(db, 200)).map((m) => ({
      id: m.id,
      channel: m.channel,
      to: m.recipient,
      subject: m.subject,
      text: m.body,
      state: m.state,
      createdAt: m.created_at.toISOString(),
    }));

  app.get('/dev/outbox.json', async (_request, reply) => reply.header('cache-control', 'no-store').send(await recent()));

  app.get('/dev/outbox', async (request, reply) => {
    const messages = await recent();
    return renderPage(
      request,
      reply,
      <ol class="outbox">
        {messages.map((m) => (
          <li key={m.id}>
            <p>
              <strong>{m.channel}</strong> → {m.to} · {m.createdAt} · {m.state}
            </p>
            {m.subject && <p>{m.subject}</p>}
            <pre>{m.text}</pre>
          </li>
        ))}
      </ol>,
      { title: request.t('dev.outbox.title') },
    );
  });
}

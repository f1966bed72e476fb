// While the database is away the provider's own error handler answers 500 server_error ("oops!
// something went wrong"), which tells a platform and a person that something is broken for good
// and gives no time to come back. As every other route does (http/error-pages.tsx), it becomes
// 503 with Retry-After: the pages a person sees say so in their language (provider-pages.ts
// renderError), and the endpoints platforms call answer `temporarily_unavailable`, the OAuth
// error for exactly this (RFC 6749 4.1.2.1).
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { DATABASE_RETRY_SECONDS, isDatabaseUnavailable } from '../db/unavailable.ts';

export function answerDatabaseUnavailableAs503(provider: Provider): void {
  // The handler tells what it caught only through this event (emitted before it answers).
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: unknown) => {
    if (isDatabaseUnavailable(error)) ctx.state.databaseUnavailable = true;
  });
  provider.use(async (ctx, next) => {
    await next();
    if (!ctx.state.databaseUnavailable || ctx.status !== 500) return;
    ctx.status = 503;
    ctx.set('retry-after', String(DATABASE_RETRY_SECONDS));
    const body = ctx.body as { error?: unknown } | undefined;
    if (body && typeof body === 'object' && !Buffer.isBuffer(body) && body.error === 'server_error') {
      ctx.body = { error: 'temporarily_unavailable', error_description: 'the service cannot reach its database just now; try again shortly' };
    }
  });
}

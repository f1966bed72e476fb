// 途径1 over HTTP: the person's page (start, QR, status JSON for the poller), the app's JSON API
// (Bearer session of the same account), and outside production a page that plays the app with
// the simulator provider.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { renderPage } from '../http/render.tsx';
import { formBody, parseInput } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requireApiSession, requirePageSession } from '../http/session-hooks.ts';
import { apiDoc } from '../http/openapi.ts';
import { AppError } from '../lib/errors.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import type { Config } from '../config.ts';
import { Form, Notice, Submit } from '../views/components.tsx';
import type { LivenessProvider, SignedVerdict } from './liveness.ts';
import { appSessionStatus, beginProviderCheck, completeAppVerification, startAppVerification } from './app-path.ts';
import { resolutionOverview } from './service.ts';
import { AppPathPage, type AppPathProps } from './views/app-path.tsx';
import type { SensitiveKind } from '../consent/sensitive-purposes.ts';

const tokenSchema = z.object({ token: z.string().max(100) });
const resultSchema = z.object({ token: z.string().max(100), result: z.record(z.string(), z.unknown()) });
const startAnswer = z.object({
  reference: z.uuid(),
  expiresAt: z.iso.datetime(),
  provider: z.string(),
  params: z.record(z.string(), z.unknown()).describe("What the provider's SDK needs to run the check"),
});
const resultAnswer = z.object({
  passed: z.boolean(),
  deregistered: z.number().int().optional().describe('When passed: how many other accounts on the number were deregistered'),
  reason: z.string().optional().describe('When not passed: why'),
});

type Simulator = LivenessProvider & { sign(verdict: Omit<SignedVerdict, 'signature'>): SignedVerdict };

export function registerAppVerification(
  app: FastifyInstance,
  deps: AccountDeps,
  provider: LivenessProvider,
  simulator: Simulator | undefined,
  acknowledged: (body: Record<string, string>, sensitive?: SensitiveKind) => void,
  appLinks: Config['app'] = { linkTemplate: undefined, downloadUrl: undefined },
): void {
  const page = async (request: FastifyRequest, reply: FastifyReply, props: Pick<AppPathProps, 'errors' | 'formError' | 'session' | 'last'>, status = 200) => {
    const overview = await resolutionOverview(deps, request.session!.accountId, request.session!.account.state);
    if (overview.state !== 'needs_verification') return reply.redirect('/account/resolution', 303);
    // On a phone the QR code cannot be scanned by the phone showing it: the page offers the app's
    // own link (APP_LINK with this session's token) and the download page instead.
    const appLink = props.session && appLinks.linkTemplate?.replaceAll('{token}', encodeURIComponent(props.session.token));
    return renderPage(
      request,
      reply,
      <AppPathPage
        {...props}
        simulator={simulator !== undefined}
        livenessOperator={provider.operator}
        others={overview.others}
        platforms={overview.platforms}
        appLink={appLink}
        downloadUrl={appLinks.downloadUrl}
      />,
      { title: request.t('app.title'), status },
    );
  };

  app.get('/account/resolution/app', { preHandler: requirePageSession }, async (request, reply) => {
    const sessionId = (request.query as Record<string, unknown>).session;
    const last = typeof sessionId === 'string' ? await appSessionStatus(deps, request.session!.accountId, sessionId) : undefined;
    return page(request, reply, { errors: {}, last });
  });

  app.post('/account/resolution/app', { preHandler: requirePageSession }, async (request, reply) => {
    try {
      acknowledged(formBody(request.body), 'liveness');
      const session = await startAppVerification(deps, provider, request.session!.accountId, { ip: request.ip });
      return page(request, reply, { errors: {}, session });
    } catch (error) {
      if (error instanceof AppError && error.code === 'resolution.not_needed') return reply.redirect('/account/resolution', 303);
      const f = formFailure(error);
      return page(request, reply, { errors: f.errors, formError: f.formError }, f.status);
    }
  });

  // Polled by the page (same-origin, cookie session): the state and what to show.
  app.get('/account/resolution/app/status.json', { preHandler: requirePageSession }, async (request, reply) => {
    const sessionId = (request.query as Record<string, unknown>).session;
    const status = typeof sessionId === 'string' ? await appSessionStatus(deps, request.session!.accountId, sessionId) : undefined;
    if (!status) return reply.status(404).send({ state: 'unknown' });
    const message = request.t(status.state === 'pending' ? 'app.waiting' : `app.${status.state}`);
    return reply.header('cache-control', 'no-store').send({ state: status.state, message });
  });

  // ---- the app
  app.post(
    '/api/v1/liveness/start',
    {
      preHandler: requireApiSession,
      ...apiDoc({
        summary: 'App: begin the liveness check for a scanned QR token',
        security: 'session',
        body: tokenSchema,
        responses: { 200: startAnswer },
        errors: [409, 410],
      }),
    },
    async (request) => {
      const { token } = parseInput(tokenSchema, request.body);
      return beginProviderCheck(deps, provider, token, request.session!.accountId);
    },
  );

  app.post(
    '/api/v1/liveness/result',
    {
      preHandler: requireApiSession,
      ...apiDoc({
        summary: "App: post the provider's signed verdict",
        security: 'session',
        body: resultSchema,
        responses: { 200: resultAnswer },
        errors: [409, 410],
      }),
    },
    async (request) => {
      const { token, result } = parseInput(resultSchema, request.body);
      const outcome = await completeAppVerification(deps, provider, token, result, request.session!.accountId);
      return outcome.passed ? { passed: true, deregistered: outcome.deregistered.length } : { passed: false, reason: outcome.reason };
    },
  );

  // ---- a page that plays the app (development and tests only)
  if (!simulator) return;
  app.get('/dev/liveness', async (request, reply) => {
    const token = String((request.query as Record<string, unknown>).token ?? '');
    return renderPage(
      request,
      reply,
      <>
        <p>{request.t('app.simulator_title')}</p>
        <Form action="/dev/liveness" id="simulator">
          <input type="hidden" name="token" value={token} />
          <Submit name="verdict" value="pass" id="simulate-pass">
            {request.t('app.simulator_pass')}
          </Submit>{' '}
          <Submit name="verdict" value="fail" class="secondary" id="simulate-fail">
            {request.t('app.simulator_fail')}
          </Submit>
        </Form>
      </>,
      { title: request.t('app.simulator_title') },
    );
  });

  app.post('/dev/liveness', async (request, reply) => {
    const body = formBody(request.body);
    const token = body.token ?? '';
    try {
      const started = await beginProviderCheck(deps, simulator, token, null);
      const passed = body.verdict === 'pass';
      const verdict = simulator.sign({
        reference: started.reference,
        passed,
        issuedAt: deps.clock.now().toISOString(),
        ...(passed ? {} : { reason: 'simulated failure' }),
      });
      const outcome = await completeAppVerification(deps, simulator, token, verdict, null);
      return renderPage(request, reply, <Notice kind="success">{request.t('app.simulator_done', { result: outcome.passed ? 'passed' : 'failed' })}</Notice>, {
        title: request.t('app.simulator_title'),
      });
    } catch (error) {
      const f = formFailure(error);
      return renderPage(request, reply, <Notice kind="error">{request.t(f.formError?.code ?? 'app.token_invalid')}</Notice>, {
        title: request.t('app.simulator_title'),
        status: f.status,
      });
    }
  });
}

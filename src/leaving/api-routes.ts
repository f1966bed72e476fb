// 撤销注销 for the app (/api/v1): an API sign-in of an account whose own 注销帐号 is cooling off
// answers 409 leaving.cooling_off with a session (accounts/api-routes.ts); with it the app
// cancels here, as the web's offer does (POST /account/deregister/cancel). HTTP only.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireApiSession } from '../http/session-hooks.ts';
import { apiDoc } from '../http/openapi.ts';
import { requestMeta } from '../http/request-meta.ts';
import { CANCEL_DEREGISTRATION_PATH } from '../accounts/api-routes.ts';
import type { LeavingDeps } from './deps.ts';
import { cancelDeregistration } from './requests.ts';

const cancelledAnswer = z.object({
  cancelled: z.literal(true),
  message: z.string(),
  consentDue: z.boolean().describe('The session is still held until the new user agreement or policy is agreed to (POST /api/v1/account/consents)'),
});

export function registerLeavingApi(app: FastifyInstance, deps: LeavingDeps): void {
  app.post(
    CANCEL_DEREGISTRATION_PATH,
    {
      preHandler: requireApiSession,
      ...apiDoc({
        summary: 'Cancel my own deregistration while it cools off (撤销注销); 409 leaving.nothing_to_cancel when none is',
        security: 'session',
        responses: { 200: cancelledAnswer },
        errors: [409],
      }),
    },
    async (request) => {
      await cancelDeregistration(deps, request.session!.accountId, requestMeta(request));
      return { cancelled: true as const, message: request.t('leaving.cancelled'), consentDue: request.session!.consentDue };
    },
  );
}

// /console/reviews: the queue, claiming, the claimed case with its photos, and the decision.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { affectedByPassing } from '../resolution/service.ts';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { formBody, parseInput } from '../http/forms.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import type { PhotoKind } from '../db/schema.ts';
import { PHOTO_KINDS } from '../resolution/photo-path.ts';
import { claimReview, decideReview, pendingReview, pendingReviews, REJECTION_REASONS, reviewComparison, reviewPhoto } from '../resolution/photo-review.ts';
import { CONSOLE, renderConsole, requireStaff, staffOf } from './console-http.tsx';
import { ReviewCasePage, ReviewQueuePage } from './views/review-pages.tsx';
import { uuidParam } from './params.ts';
import type { MessageKey } from '../i18n/index.ts';
import { own } from '../lib/own.ts';

const decisionForm = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), note: z.string().trim().max(200).optional() }),
  z.object({
    decision: z.literal('reject'),
    reason: z.enum(Object.keys(REJECTION_REASONS) as [keyof typeof REJECTION_REASONS], 'review.reason_required'),
    note: z.string().trim().max(200).optional(),
  }),
]);

const NOTICES: Record<string, MessageKey> = { approved: 'console.approved', rejected: 'console.rejected' };

export function registerReviewPages(app: FastifyInstance, deps: AccountDeps): void {
  const guard = { onRequest: requireStaff('reviews') };
  const reviewer = (request: FastifyRequest) => ({ id: staffOf(request).username, ip: request.ip });

  app.get<{ Querystring: { done?: string } }>(`${CONSOLE}/reviews`, guard, async (request, reply) => {
    const reviews = await pendingReviews(deps, 200);
    const notice = own(NOTICES, request.query.done);
    return renderConsole(request, reply, <ReviewQueuePage reviews={reviews} me={staffOf(request).username} notice={notice} />, {
      title: request.t('console.reviews_title'),
    });
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE}/reviews/:id/claim`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    await claimReview(deps, id, reviewer(request));
    return reply.redirect(`${CONSOLE}/reviews/${id}`, 303);
  });

  /** The case as its claimant sees it, with what approving would deregister. */
  const showCase = async (request: FastifyRequest, reply: FastifyReply, id: string, error?: MessageKey, status?: number) => {
    const review = await pendingReview(deps, id);
    if (!review) throw new AppError('review.not_pending', { status: 404 });
    if (review.claimedBy !== staffOf(request).username) throw new AppError('review.not_claimed', { status: 403 });
    const affected = await affectedByPassing(deps, review.accountId);
    const comparison = await reviewComparison(deps, id, reviewer(request));
    return renderConsole(request, reply, <ReviewCasePage review={review} affected={affected} comparison={comparison} error={error} />, {
      title: request.t('console.review_title'),
      ...(status ? { status } : {}),
    });
  };

  app.get<{ Params: { id: string } }>(`${CONSOLE}/reviews/:id`, guard, async (request, reply) => showCase(request, reply, uuidParam(request.params.id)));

  app.get<{ Params: { id: string; kind: string } }>(`${CONSOLE}/reviews/:id/photos/:kind`, guard, async (request, reply) => {
    const kind = request.params.kind as PhotoKind;
    if (!PHOTO_KINDS.includes(kind)) throw new AppError('review.not_found', { status: 404 });
    const photo = await reviewPhoto(deps, uuidParam(request.params.id), kind, reviewer(request));
    // Never cached anywhere, and never anything but the image it is.
    return reply
      .header('content-type', photo.mediaType)
      .header('cache-control', 'no-store, private')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('content-disposition', `inline; filename="${kind}.${photo.mediaType.split('/')[1]}"`)
      .send(photo.data);
  });

  app.post<{ Params: { id: string } }>(`${CONSOLE}/reviews/:id/decision`, guard, async (request, reply) => {
    const id = uuidParam(request.params.id);
    try {
      const decision = parseInput(decisionForm, formBody(request.body));
      await decideReview(deps, id, reviewer(request), decision);
      return reply.redirect(`${CONSOLE}/reviews?done=${decision.decision === 'approve' ? 'approved' : 'rejected'}`, 303);
    } catch (error) {
      // A wrong form or a case that cannot pass now: the case again, with what to do.
      if (!(error instanceof AppError) || (error.status !== 400 && error.status !== 409) || !(await pendingReview(deps, id))) throw error;
      return showCase(request, reply, id, error.code === 'validation.failed' ? 'review.reason_required' : error.code, error.status);
    }
  });
}

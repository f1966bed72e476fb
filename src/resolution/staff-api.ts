// The staff review API until the staff console exists: GET /api/v1/staff/reviews, POST …/claim,
// GET …/photos/:kind, POST …/decision. Guarded by STAFF_API_TOKEN (compared in constant time)
// with the reviewer named in X-Staff-Id; without a token configured these routes do not exist.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../lib/errors.ts';
import { constantTimeEqual, hmacSha256 } from '../lib/crypto.ts';
import { parseInput } from '../http/forms.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import { PHOTO_KINDS } from './photo-path.ts';
import { claimReview, decideReview, pendingReviews, REJECTION_REASONS, reviewPhoto, type Reviewer } from './photo-review.ts';
import type { PhotoKind } from '../db/schema.ts';

const decisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }),
  z.object({ decision: z.literal('reject'), reason: z.enum(Object.keys(REJECTION_REASONS) as [keyof typeof REJECTION_REASONS]), note: z.string().max(200).optional() }),
]);

export function registerStaffReviewApi(app: FastifyInstance, deps: AccountDeps, token: string | undefined): void {
  if (!token) return;
  // Compared as keyed hashes: equal length, constant time, whatever was sent.
  const key = Buffer.from('staff-api-token');
  const expected = hmacSha256(key, token);
  const reviewerOf = (request: FastifyRequest): Reviewer => {
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!constantTimeEqual(hmacSha256(key, given), expected)) throw new AppError('error.unauthenticated', { status: 401 });
    const staffId = String(request.headers['x-staff-id'] ?? '').trim();
    if (!/^[\w.@-]{1,64}$/.test(staffId)) throw new AppError('review.staff_id_required', { status: 400 });
    return { id: staffId, ip: request.ip };
  };
  const uuid = (value: string) => {
    if (!/^[0-9a-f-]{36}$/.test(value)) throw new AppError('review.not_found', { status: 404 });
    return value;
  };

  app.get('/api/v1/staff/reviews', async (request) => {
    reviewerOf(request);
    return { reviews: await pendingReviews(deps) };
  });

  app.post<{ Params: { id: string } }>('/api/v1/staff/reviews/:id/claim', async (request, reply) => {
    await claimReview(deps, uuid(request.params.id), reviewerOf(request));
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string; kind: string } }>('/api/v1/staff/reviews/:id/photos/:kind', async (request, reply) => {
    const reviewer = reviewerOf(request);
    const kind = request.params.kind as PhotoKind;
    if (!PHOTO_KINDS.includes(kind)) throw new AppError('review.not_found', { status: 404 });
    const photo = await reviewPhoto(deps, uuid(request.params.id), kind, reviewer);
    // Never cached, never rendered as anything but the image it is.
    return reply
      .header('content-type', photo.mediaType)
      .header('cache-control', 'no-store')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('content-disposition', `inline; filename="${kind}.${photo.mediaType.split('/')[1]}"`)
      .send(photo.data);
  });

  app.post<{ Params: { id: string } }>('/api/v1/staff/reviews/:id/decision', async (request, reply) => {
    const reviewer = reviewerOf(request);
    await decideReview(deps, uuid(request.params.id), reviewer, parseInput(decisionSchema, request.body));
    return reply.status(204).send();
  });
}

// The resolution centre (解决办法) and its paths' pages. HTTP only: parse, call the service, render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderPage } from '../http/render.tsx';
import { allFieldChecks, formBody } from '../http/forms.ts';
import { formFailure } from '../http/page-errors.ts';
import { requirePageSession } from '../http/session-hooks.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import type { AccountDeps } from '../accounts/deps.ts';
import type { RecordKind } from '../db/schema.ts';
import { resolutionOverview } from './service.ts';
import { parseClaim, verifyByRecords } from './records-path.ts';
import { ResolutionCentrePage } from './views/centre.tsx';
import { ClassmatePathPage, type ClassmatePathProps } from './views/classmate-path.tsx';
import { checkVouchFields, requestVouch, vouchProgress, type VouchSettings } from './classmate-path.ts';
import type { Inbox } from '../inbox/service.ts';
import { formatBeijing } from '../lib/time-format.ts';
import { PhotoPathPage, type PhotoPathProps } from './views/photo-path.tsx';
import { latestPhotoReview, submitPhotos, withdrawPhotos, type UploadedPhoto } from './photo-path.ts';
import { RecordsPathPage, type RecordsPathProps } from './views/records-path.tsx';
import { requestMeta } from '../http/request-meta.ts';
import { isTicked } from '../consent/input.ts';
import type { Message } from '../i18n/index.ts';
import type { SensitiveKind } from '../consent/sensitive-purposes.ts';

/**
 * Every path's form carries the tick that says the warning was read; a path that collects
 * sensitive information (ID photos, a face check) also its own consent, asked at once.
 */
export function assertAcknowledged(body: Record<string, string | undefined>, sensitive?: SensitiveKind): void {
  const fields: Record<string, Message> = {};
  if (body.acknowledge !== '1') fields.acknowledge = { code: 'resolution.acknowledge_required' };
  if (sensitive && !isTicked(body.agreeSensitive)) fields.agreeSensitive = { code: 'consent.sensitive_required' };
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

export interface ResolutionOptions {
  inbox: Inbox;
  vouch: VouchSettings;
}

export function registerResolutionPages(app: FastifyInstance, deps: AccountDeps, options: ResolutionOptions): void {
  const overviewOf = (request: FastifyRequest) => resolutionOverview(deps, request.session!.accountId, request.session!.account.state);

  app.get('/account/resolution', { preHandler: requirePageSession }, async (request, reply) => {
    const overview = await overviewOf(request);
    const vouches = await vouchProgress(deps, options.inbox, options.vouch, request.session!.accountId);
    const review = await latestPhotoReview(deps, request.session!.accountId);
    const merged = {
      ...(review
        ? {
            photo: request.t(review.state === 'pending' ? 'photo.pending' : review.state === 'rejected' ? 'photo.rejected' : 'photo.approved', {
              submitted: formatBeijing(review.submittedAt, request.lang),
              expected: formatBeijing(review.expectedBy, request.lang),
              reason: review.reason ?? '',
            }),
          }
        : {}),
      records: request.t('records.tries', overview.recordTries),
      classmate: vouches.openCase
        ? vouches.openCase.state === 'waiting'
          ? request.t('vouch.case_waiting', { until: formatBeijing(vouches.openCase.takesEffectAt, request.lang) })
          : request.t('vouch.case_objected')
        : request.t('vouch.progress', { confirmed: vouches.confirmed, needed: vouches.needed }) +
          (vouches.latestState ? ` ${request.t(`vouch.state_${vouches.latestState}`)}` : ''),
    };
    const passed = (request.query as Record<string, unknown>).passed;
    const count = typeof passed === 'string' && /^\d+$/.test(passed) ? Number(passed) : undefined;
    const notice = count === undefined ? undefined : request.t(count === 1 ? 'resolution.done_deregistered_one' : 'resolution.done_deregistered', { count });
    // Once verified, the seed's next step is 实名信息绑定 (unless passing bound it already).
    const nextStep = request.session!.account.realnameBoundAt ? 'home' : 'bind';
    return renderPage(request, reply, <ResolutionCentrePage overview={overview} progress={merged} notice={notice} nextStep={nextStep} />, {
      title: request.t('resolution.title'),
    });
  });

  const recordsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    props: Pick<RecordsPathProps, 'kind' | 'values' | 'errors' | 'formError'>,
    status = 200,
  ) => {
    const overview = await overviewOf(request);
    if (overview.state !== 'needs_verification') return reply.redirect('/account/resolution', 303);
    return renderPage(request, reply, <RecordsPathPage {...props} tries={overview.recordTries} others={overview.others} platforms={overview.platforms} />, {
      title: request.t('records.title'),
      status,
    });
  };
  const kindOf = (value: unknown): RecordKind => (value === 'degree' ? 'degree' : 'enrolment');

  app.get('/account/resolution/records', { preHandler: requirePageSession }, async (request, reply) =>
    recordsPage(request, reply, { kind: kindOf((request.query as Record<string, unknown>).kind), values: {}, errors: {} }),
  );

  app.post('/account/resolution/records', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    const kind = kindOf(body.kind);
    const values = { school: body.school, number: body.number, year: body.year, level: body.level, acknowledge: body.acknowledge === '1' };
    const claim = { kind, school: body.school ?? '', number: body.number ?? '', year: body.year ?? '', level: body.level ?? '' };
    try {
      // The tick and the record's form together, one try showing both; a check counts only after.
      allFieldChecks(
        () => assertAcknowledged(body),
        () => parseClaim(claim, deps.clock.now()),
      );
      const { deregistered } = await verifyByRecords(deps, request.session!.accountId, claim, requestMeta(request));
      return reply.redirect(`/account/resolution?passed=${deregistered.length}`, 303);
    } catch (error) {
      // Resolved meanwhile (another path, or a second click): the centre says how.
      if (error instanceof AppError && error.code === 'resolution.not_needed') return reply.redirect('/account/resolution', 303);
      const f = formFailure(error);
      return recordsPage(request, reply, { kind, values, errors: f.errors, formError: f.formError }, f.status);
    }
  });

  // ---- 途径3 大学同班同学协助
  const classmatePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    props: Pick<ClassmatePathProps, 'values' | 'errors' | 'formError' | 'notice'>,
    status = 200,
  ) => {
    const overview = await overviewOf(request);
    if (overview.state !== 'needs_verification') return reply.redirect('/account/resolution', 303);
    const progress = await vouchProgress(deps, options.inbox, options.vouch, request.session!.accountId);
    const noticeHours = Math.round(options.vouch.noticeMs / 3_600_000);
    return renderPage(
      request,
      reply,
      <ClassmatePathPage {...props} progress={progress} noticeHours={noticeHours} others={overview.others} platforms={overview.platforms} />,
      { title: request.t('vouch.title'), status },
    );
  };

  app.get('/account/resolution/classmate', { preHandler: requirePageSession }, async (request, reply) =>
    classmatePage(request, reply, { values: {}, errors: {} }),
  );

  app.post('/account/resolution/classmate', { preHandler: requirePageSession }, async (request, reply) => {
    const body = formBody(request.body);
    const values = { classmateName: body.classmateName, classmateUsername: body.classmateUsername, school: body.school, acknowledge: body.acknowledge === '1' };
    const vouch = { classmateName: body.classmateName ?? '', classmateUsername: body.classmateUsername ?? '', school: body.school ?? '' };
    try {
      allFieldChecks(
        () => assertAcknowledged(body),
        () => checkVouchFields(vouch),
      );
      await requestVouch(deps, options.inbox, request.session!.accountId, vouch, requestMeta(request));
      return classmatePage(request, reply, { values: {}, errors: {}, notice: 'vouch.sent' });
    } catch (error) {
      if (error instanceof AppError && error.code === 'resolution.not_needed') return reply.redirect('/account/resolution', 303);
      const f = formFailure(error);
      return classmatePage(request, reply, { values, errors: f.errors, formError: f.formError }, f.status);
    }
  });

  // ---- 途径2 客服协助验证
  const photoPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    props: Pick<PhotoPathProps, 'errors' | 'formError' | 'notice' | 'acknowledged' | 'agreeSensitive'>,
    status = 200,
  ) => {
    const overview = await overviewOf(request);
    if (overview.state !== 'needs_verification') return reply.redirect('/account/resolution', 303);
    const review = await latestPhotoReview(deps, request.session!.accountId);
    return renderPage(request, reply, <PhotoPathPage {...props} review={review} others={overview.others} platforms={overview.platforms} />, {
      title: request.t('photo.title'),
      status,
    });
  };

  app.get('/account/resolution/photo', { preHandler: requirePageSession }, async (request, reply) => photoPage(request, reply, { errors: {} }));

  // Withdrawing needs no tick: a person taking their consent back is never held to a form.
  app.post('/account/resolution/photo/withdraw', { preHandler: requirePageSession }, async (request, reply) => {
    const withdrawn = await withdrawPhotos(deps, request.session!.accountId, requestMeta(request));
    return photoPage(request, reply, { errors: {}, notice: withdrawn ? 'photo.withdrawn' : 'photo.nothing_to_withdraw' });
  });

  app.post('/account/resolution/photo', { preHandler: requirePageSession }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const photo = (value: unknown): UploadedPhoto | undefined =>
      value && typeof value === 'object' && Buffer.isBuffer((value as UploadedPhoto).data) ? (value as UploadedPhoto) : undefined;
    try {
      assertAcknowledged(formBody(body), 'id_photo');
      await submitPhotos(
        deps,
        request.session!.accountId,
        { handheld: photo(body.handheld), front: photo(body.front), back: photo(body.back) },
        requestMeta(request),
      );
      return photoPage(request, reply, { errors: {}, notice: 'photo.submitted' });
    } catch (error) {
      if (error instanceof AppError && error.code === 'resolution.not_needed') return reply.redirect('/account/resolution', 303);
      const f = formFailure(error);
      const ticks = formBody(body);
      return photoPage(
        request,
        reply,
        { errors: f.errors, formError: f.formError, acknowledged: ticks.acknowledge === '1', agreeSensitive: isTicked(ticks.agreeSensitive) },
        f.status,
      );
    }
  });
}

// 途径2 客服协助验证: the seed's photo requirements, three files, and the case's progress
// (证件重复-客服审核): 审核中 with the expected date, 通过, or 未通过 with the reason.
import { useI18n } from '../../views/i18n-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { ErrorSummary, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { useCsrf } from '../../views/form-context.ts';
import type { PhotoReviewStatus } from '../photo-path.ts';
import { AcknowledgeField, ResolutionWarning } from './warning.tsx';
import type { Message, MessageKey } from '../../i18n/index.ts';
import { HelpLinks } from '../../help/links.tsx';
import { SensitiveConsentField } from '../../consent/views/agree-fields.tsx';

export interface PhotoPathProps {
  review: PhotoReviewStatus | undefined;
  errors: FieldErrors;
  formError?: Message | undefined;
  notice?: MessageKey | undefined;
  /** The tick as the refused form had it (files cannot be given back; the tick can). */
  acknowledged?: boolean | undefined;
  /** The separate consent to processing the photos, as the refused form had it. */
  agreeSensitive?: boolean | undefined;
  others: string[];
  platforms: string[];
}

function PhotoField(props: { name: 'handheld' | 'front' | 'back'; error?: FieldErrors[string] }) {
  const { t } = useI18n();
  const id = `f-${props.name}`;
  return (
    <div class={props.error ? 'field has-error' : 'field'}>
      <label for={id}>{t(`photo.${props.name}`)}</label>
      <input
        id={id}
        type="file"
        name={props.name}
        accept=".jpg,.jpeg,.png,.gif,image/jpeg,image/png,image/gif"
        aria-describedby={props.error ? `${id}-error` : undefined}
      />
      {props.error && (
        <p class="error" id={`${id}-error`} role="alert">
          {t(props.error.code, props.error.params)}
        </p>
      )}
    </div>
  );
}

export function PhotoPathPage(props: PhotoPathProps) {
  const { t, lang } = useI18n();
  const csrf = useCsrf();
  const review = props.review;
  const canSubmit = !review || review.state === 'rejected' || review.state === 'closed';
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} order={['handheld', 'front', 'back', 'agreeSensitive', 'acknowledge']} />
      <ResolutionWarning others={props.others} platforms={props.platforms} />
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {review && (
        <section id="photo-review" data-state={review.state}>
          <h2>{t('photo.progress_title')}</h2>
          {review.state === 'pending' && (
            <p>{t('photo.pending', { submitted: formatBeijing(review.submittedAt, lang), expected: formatBeijing(review.expectedBy, lang) })}</p>
          )}
          {review.state === 'approved' && <p>{t('photo.approved')}</p>}
          {review.state === 'rejected' && <p>{t('photo.rejected', { reason: review.reason ?? '' })}</p>}
        </section>
      )}
      {review?.state === 'pending' && (
        // Withdrawing the consent to the photos while staff have not decided (photo-path.ts withdrawPhotos).
        <form method="post" action="/account/resolution/photo/withdraw" id="photo-withdraw" class="form">
          <input type="hidden" name="_csrf" value={csrf} />
          <p class="hint">{t('photo.withdraw_hint')}</p>
          <button type="submit" class="secondary" id="photo-withdraw-submit">
            {t('photo.withdraw')}
          </button>
        </form>
      )}
      {canSubmit && (
        <>
          <h2>{t('photo.requirements_title')}</h2>
          <ol class="requirements">
            <li>{t('photo.rule_1')}</li>
            <li>{t('photo.rule_2')}</li>
            <li>{t('photo.rule_3')}</li>
            <li>{t('photo.rule_4')}</li>
          </ol>
          {/* Multipart: the CSRF token travels as a form field, read with the files. */}
          <form method="post" action="/account/resolution/photo" enctype="multipart/form-data" id="photo-form" class="form" novalidate>
            <input type="hidden" name="_csrf" value={csrf} />
            <PhotoField name="handheld" error={props.errors.handheld} />
            <PhotoField name="front" error={props.errors.front} />
            <PhotoField name="back" error={props.errors.back} />
            <SensitiveConsentField kind="id_photo" error={props.errors.agreeSensitive} checked={props.agreeSensitive} />
            <AcknowledgeField error={props.errors.acknowledge} checked={props.acknowledged} />
            <Submit id="photo-submit">{t('photo.submit')}</Submit>
          </form>
        </>
      )}
      <p>
        <a href="/account/resolution">{t('resolution.back')}</a>
      </p>
      <HelpLinks slugs={['path-photo', 'deregistration']} />
    </>
  );
}

// 注销帐号's pages: what deregistering affects and the confirmation; the page after asking; and,
// while the request cools off, the offer to cancel it (where every sign-in of the account lands).
import { useI18n } from '../../views/i18n-context.ts';
import { CheckboxField, ErrorSummary, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import { formatBeijing } from '../../lib/time-format.ts';
import type { Message, MessageKey } from '../../i18n/index.ts';
import { RESUME_GRACE_DAYS } from '../completion.ts';

export function Effects(props: { platforms: string[]; retentionDays: number; claimant: boolean; othersHoldNumber: boolean }) {
  const { t, lang } = useI18n();
  const sep = lang === 'en' ? ', ' : '、';
  return (
    <section class="warning-box" id="leaving-effects">
      <h2>{t('leaving.effects_title')}</h2>
      <ul>
        <li>{t('leaving.effect_sign_in')}</li>
        <li>{t('leaving.effect_contacts')}</li>
        <li id="leaving-effect-id">{t(props.claimant ? 'leaving.effect_claim' : props.othersHoldNumber ? 'leaving.effect_id_shared' : 'leaving.effect_id')}</li>
        <li>{t('leaving.effect_retention', { days: props.retentionDays })}</li>
      </ul>
      <p id="leaving-platforms">{props.platforms.length ? t('leaving.platforms', { platforms: props.platforms.join(sep) }) : t('leaving.no_platforms')}</p>
    </section>
  );
}

export function DeregisterPage(props: {
  platforms: string[];
  claimant: boolean;
  othersHoldNumber: boolean;
  retentionDays: number;
  coolingOffDays: number;
  blocked: MessageKey | undefined;
  errors: FieldErrors;
  formError?: Message | undefined;
  cancelled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      {props.cancelled && <Notice kind="success">{t('leaving.cancelled')}</Notice>}
      <ErrorSummary errors={props.errors} formError={props.formError} ids={{ acknowledge: 'f-acknowledge' }} />
      <p>{t('leaving.intro')}</p>
      <Effects platforms={props.platforms} retentionDays={props.retentionDays} claimant={props.claimant} othersHoldNumber={props.othersHoldNumber} />
      {props.blocked ? (
        <Notice kind="error">
          <span id="leaving-blocked">{t(props.blocked)}</span>
        </Notice>
      ) : (
        <Form action="/account/deregister" id="deregister">
          <p>{t('leaving.cooling_off_explain', { days: props.coolingOffDays })}</p>
          <CheckboxField name="acknowledge" error={props.errors.acknowledge}>
            {t('leaving.acknowledge')}
          </CheckboxField>
          <Submit id="deregister-submit">{t('leaving.submit')}</Submit>
        </Form>
      )}
    </>
  );
}

export function StartedPage(props: { dueAt: Date }) {
  const { t, lang } = useI18n();
  return (
    <Notice kind="success">
      <span id="leaving-started">{t('leaving.started', { due: formatBeijing(props.dueAt, lang) })}</span>
    </Notice>
  );
}

export function CoolingOffPage(props: {
  requestedAt: Date;
  dueAt: Date;
  next: string | undefined;
  platforms: string[];
  claimant: boolean;
  othersHoldNumber: boolean;
  retentionDays: number;
  waiting: MessageKey | undefined;
  /** The period is over (it waits, or is about to be done). */
  ended: boolean;
  formError?: Message | undefined;
}) {
  const { t, lang } = useI18n();
  return (
    <>
      <ErrorSummary formError={props.formError} />
      <Notice kind="info">
        <span id="leaving-cooling">
          {t(props.ended ? 'leaving.cooling_ended' : 'leaving.cooling', {
            requested: formatBeijing(props.requestedAt, lang),
            due: formatBeijing(props.dueAt, lang),
          })}
        </span>
      </Notice>
      {props.waiting && <p id="leaving-waiting">{t('leaving.cooling_waiting', { reason: t(props.waiting), days: RESUME_GRACE_DAYS })}</p>}
      <Effects platforms={props.platforms} retentionDays={props.retentionDays} claimant={props.claimant} othersHoldNumber={props.othersHoldNumber} />
      <p>{t('leaving.cancel_intro')}</p>
      <Form action="/account/deregister/cancel" id="deregister-cancel">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <Submit id="deregister-cancel-submit">{t('leaving.cancel')}</Submit>
      </Form>
      <Form action="/logout" id="deregister-keep">
        <Submit id="deregister-keep-submit" class="secondary">
          {t('leaving.keep')}
        </Submit>
      </Form>
    </>
  );
}

// /login/second-factor: the second step of a sign-in. One field takes an authenticator code or a
// recovery code. `otherWays` is where another second factor offers itself (a passkey button from
// passkeys/, posting to its own route and ending through finishWithSecondFactor).
import type { ComponentChildren } from 'preact';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Message, MessageKey } from '../../i18n/index.ts';
import { formatBeijing } from '../../lib/time-format.ts';

export function SecondFactorStepPage(props: {
  next: string | undefined;
  errors: FieldErrors;
  formError?: Message | undefined;
  removalAt: Date | undefined;
  waitDays: number;
  otherWays?: ComponentChildren;
  /** The lead text when the account's second factor is not the authenticator (default mfa.step_intro). */
  intro?: MessageKey | undefined;
}) {
  const { t, lang } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      {props.removalAt && (
        <div id="removal-waiting">
          <Notice kind="info">{t('mfa.removal_waiting', { date: formatBeijing(props.removalAt, lang) })}</Notice>
        </div>
      )}
      <p class="lead">{t(props.intro ?? 'mfa.step_intro')}</p>
      <Form action="/login/second-factor" id="second-factor">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <Field
          name="code"
          label={t('mfa.code_label')}
          autocomplete="one-time-code"
          inputmode="text"
          error={props.errors.code}
          maxLength={32}
          hint={t('mfa.code_hint')}
        />
        <Submit id="second-factor-submit">{t('mfa.submit')}</Submit>
      </Form>
      {props.otherWays && (
        <section id="second-factor-other-ways">
          <h2>{t('mfa.other_ways')}</h2>
          {props.otherWays}
        </section>
      )}
      <h2>{t('mfa.lost_title')}</h2>
      <p id="second-factor-lost">
        {t('mfa.lost_body', { days: props.waitDays })} <a href="/recover/password">{t('mfa.lost_link')}</a>
      </p>
    </>
  );
}

/** The pending sign-in is gone (timed out, finished, or its guesses spent): start again. */
export function SecondFactorExpiredPage(props: { message: Message; next: string | undefined }) {
  const { t } = useI18n();
  const login = props.next ? `/login?next=${encodeURIComponent(props.next)}` : '/login';
  return (
    <>
      <Notice kind="error">{t(props.message.code, props.message.params)}</Notice>
      <p>
        <a class="button primary" id="second-factor-restart" href={login}>
          {t('mfa.sign_in_again')}
        </a>
      </p>
    </>
  );
}

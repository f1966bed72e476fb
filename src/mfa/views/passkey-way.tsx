// A passkey as the second step, in the pages: the step page's 使用通行密钥验证, and on 两步验证
// turning it on with passkeys alone and confirming the turning off with a passkey. Each passkey
// form is hidden until public/passkeys.js finds the browser can use passkeys (data-passkey-verify
// names the route that answers the options); without it the code forms remain.
import { useI18n } from '../../views/i18n-context.ts';
import { Form, Submit } from '../../views/components.tsx';
import { PasskeyScripts, PasskeyStrings } from '../../passkeys/views/add-passkey.tsx';

function PasskeyVerifyForm(props: { id: string; action: string; options: string; next?: string | undefined; label: string; hint?: string }) {
  return (
    <div id={`${props.id}-block`} hidden data-passkey-way>
      <Form action={props.action} id={props.id}>
        <span hidden data-passkey-verify={props.options}></span>
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <input type="hidden" name="credential" value="" data-passkey-credential />
        {props.hint && <p class="hint">{props.hint}</p>}
        <p class="passkey-status" role="status" aria-live="polite"></p>
        <Submit id={`${props.id}-submit`} class="secondary">
          {props.label}
        </Submit>
      </Form>
      <PasskeyStrings />
      <PasskeyScripts />
    </div>
  );
}

/** The step page's other way, for a pending account with passkeys. */
export function PasskeyStepWay(props: { next: string | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <PasskeyVerifyForm
        id="passkey-second-factor"
        action="/login/second-factor/passkey"
        options="/login/second-factor/passkey/options"
        next={props.next}
        label={t('mfa_passkey.step_button')}
        hint={t('mfa_passkey.step_hint')}
      />
    </>
  );
}

/** 两步验证 while off: turning it on with passkeys alone (or what to do first). */
export function PasskeyWayEnable(props: { passkeys: number }) {
  const { t } = useI18n();
  return (
    <section id="passkey-way">
      <h2>{t('mfa_passkey.enable_title')}</h2>
      <p>{t('mfa_passkey.enable_intro')}</p>
      {props.passkeys > 0 ? (
        <Form action="/account/two-factor/passkey" id="passkey-way-enable">
          <Submit id="passkey-way-enable-submit" class="secondary">
            {t('mfa_passkey.enable_submit')}
          </Submit>
        </Form>
      ) : (
        <p id="passkey-way-needs-passkey">
          <a href="/account/passkeys/new">{t('mfa_passkey.enable_needs_passkey')}</a>
        </p>
      )}
    </section>
  );
}

/** 两步验证 while on, for an account with passkeys: turning it off with one of them. */
export function PasskeyWayDisable() {
  const { t } = useI18n();
  return (
    <PasskeyVerifyForm
      id="passkey-disable"
      action="/account/two-factor/disable/passkey"
      options="/account/two-factor/passkey/options"
      label={t('mfa_passkey.disable_button')}
    />
  );
}

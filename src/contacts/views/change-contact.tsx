// 更换手机号 / 更换邮箱 (绑定 when there is none yet): the current one masked, the new one with
// 免费获取, the code, 确定. Said plainly when the contact is the username.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Notice, type FieldErrors } from '../../views/components.tsx';
import { codeInputId, ContactCodeForm } from './contact-code-form.tsx';
import type { Message } from '../../i18n/index.ts';

export interface ChangeContactProps {
  channel: 'phone' | 'email';
  /** The proved contact now, masked. */
  current: string | undefined;
  isUsername: boolean;
  value: string | undefined;
  code?: string | undefined;
  errors: FieldErrors;
  sentTo?: string | undefined;
  notice?: string | undefined;
  formError?: Message | undefined;
}

export function ChangeContactPage(props: ChangeContactProps) {
  const { t } = useI18n();
  const phone = props.channel === 'phone';
  return (
    <>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <ErrorSummary errors={props.errors} formError={props.formError} ids={{ code: codeInputId(`change-${props.channel}`) }} />
      {props.sentTo && <Notice kind="success">{t('settings.code_sent', { to: props.sentTo })}</Notice>}
      {props.current && <p id="current-contact">{t('settings.current_contact', { value: props.current })}</p>}
      {props.isUsername && <p class="hint">{t(phone ? 'settings.phone_is_username' : 'settings.email_is_username')}</p>}
      {!phone && <p class="hint">{t('settings.email_rule')}</p>}
      <ContactCodeForm
        channel={props.channel}
        action={`/account/${props.channel}`}
        id={`change-${props.channel}`}
        labels={{ contact: phone ? 'settings.new_phone' : 'settings.new_email', code: 'settings.code', send: 'settings.send_code', submit: 'settings.save' }}
        buttonIds={{ send: `send-${props.channel}-code`, submit: `change-${props.channel}-submit` }}
        value={props.value}
        code={props.code}
        errors={props.errors}
      />
    </>
  );
}

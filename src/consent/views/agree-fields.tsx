// The ticks forms show where consent is asked: 我已阅读并同意《用户协议》《个人信息保护政策》 on
// every registration form (the documents open in a new tab, so what was typed stays), and the
// separate consent beside sensitive information with its purpose in full. Never ticked in advance.
import { useI18n } from '../../views/i18n-context.ts';
import { CheckboxField, type FieldError } from '../../views/components.tsx';
import { currentPurpose, type SensitiveKind } from '../sensitive-purposes.ts';

export function AgreeField(props: { checked?: boolean | undefined; error?: FieldError | undefined }) {
  const { t } = useI18n();
  return (
    <CheckboxField name="agree" checked={props.checked} error={props.error}>
      {t('consent.agree_before')}
      <a href="/legal/terms" target="_blank" rel="noopener">
        《{t('consent.terms')}》
      </a>
      <a href="/legal/privacy" target="_blank" rel="noopener">
        《{t('consent.privacy')}》
      </a>
    </CheckboxField>
  );
}

/** `params` fills the purpose's wording (the liveness and ID number consents name their `operator`). */
export function SensitiveConsentField(props: {
  kind: SensitiveKind;
  params?: Record<string, string>;
  checked?: boolean | undefined;
  error?: FieldError | undefined;
}) {
  const { t } = useI18n();
  return (
    <CheckboxField name="agreeSensitive" checked={props.checked} error={props.error}>
      {t(currentPurpose(props.kind, props.params), props.params)}
    </CheckboxField>
  );
}

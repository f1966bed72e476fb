// 添加通行密钥: a name, then the browser's own prompt (public/passkeys.js asks for the options,
// runs navigator.credentials.create through @simplewebauthn/browser, and posts its answer in the
// hidden credential field). Without JavaScript the form still posts, and is told what it needs.
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Field, Form, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Message, MessageKey } from '../../i18n/index.ts';
import { NAME_MAX } from '../names.ts';
import { PASSKEY_SCRIPTS } from '../assets.ts';

/** The words the page script shows, by what happened in the browser (read by public/passkeys.js). */
export function PasskeyStrings() {
  const { t } = useI18n();
  const strings = Object.fromEntries(Object.entries(PASSKEY_STRING_KEYS).map(([k, v]) => [k, t(v)]));
  return <div hidden id="passkey-strings" data-strings={JSON.stringify(strings)}></div>;
}

export function PasskeyScripts() {
  return (
    <>
      {PASSKEY_SCRIPTS.map((src) => (
        <script key={src} src={src} defer></script>
      ))}
    </>
  );
}

export function AddPasskeyPage(props: { name: string; errors: FieldErrors; formError?: Message | undefined }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorSummary errors={props.errors} formError={props.formError} />
      <p>{t('passkeys.add_intro')}</p>
      <Form action="/account/passkeys" id="passkey-add">
        <input type="hidden" name="credential" value="" data-passkey-credential />
        <Field
          name="name"
          label={t('passkeys.name')}
          value={props.name}
          hint={t('passkeys.name_hint', { max: NAME_MAX })}
          error={props.errors.name}
          maxLength={NAME_MAX * 2}
          autocomplete="off"
        />
        <p class="passkey-status" id="passkey-status" role="status" aria-live="polite"></p>
        <Submit id="passkey-add-submit">{t('passkeys.add_submit')}</Submit>
      </Form>
      <p>
        <a href="/account/passkeys">{t('passkeys.back')}</a>
      </p>
      <PasskeyStrings />
      <PasskeyScripts />
    </>
  );
}

export const PASSKEY_STRING_KEYS: Record<string, MessageKey> = {
  working: 'passkeys.working',
  cancelled: 'passkeys.cancelled',
  unsupported: 'passkeys.unsupported',
  excluded: 'passkeys.excluded',
  failed: 'passkeys.failed',
};

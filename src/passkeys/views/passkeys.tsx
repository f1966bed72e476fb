// 通行密钥: the account's passkeys (name, added, last used), each renamed or removed with its own
// form, and the way to add one. On a phone the rows are cards (the sessions table's layout).
import { formatBeijing } from '../../lib/time-format.ts';
import { useI18n } from '../../views/i18n-context.ts';
import { ErrorSummary, Form, Notice, Submit, type FieldErrors } from '../../views/components.tsx';
import type { Message } from '../../i18n/index.ts';
import type { PasskeyListItem } from '../management.ts';
import { NAME_MAX } from '../names.ts';

export interface PasskeysProps {
  passkeys: PasskeyListItem[];
  notice?: string | undefined;
  formError?: Message | undefined;
  errors?: FieldErrors | undefined;
  /** The row whose rename was refused, so its message stands beside it. */
  errorFor?: string | undefined;
}

export function PasskeysPage(props: PasskeysProps) {
  const { t, lang } = useI18n();
  return (
    <>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <ErrorSummary formError={props.formError} errors={props.errors} ids={props.errorFor ? { name: `f-name-${props.errorFor}` } : undefined} />
      <p>{t('passkeys.intro')}</p>
      {props.passkeys.length === 0 ? (
        <p id="passkeys-none">{t('passkeys.none')}</p>
      ) : (
        <table class="sessions passkeys" id="passkeys">
          <thead>
            <tr>
              <th>{t('passkeys.name')}</th>
              <th>{t('passkeys.created')}</th>
              <th>{t('passkeys.last_used')}</th>
              <th>
                <span class="visually-hidden">{t('passkeys.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.passkeys.map((p) => {
              const error = props.errorFor === p.id ? props.errors?.name : undefined;
              const inputId = `f-name-${p.id}`;
              return (
                <tr key={p.id} data-passkey={p.id}>
                  <td data-label={t('passkeys.name')} class="passkey-name">
                    {p.name}
                  </td>
                  <td data-label={t('passkeys.created')}>{formatBeijing(p.createdAt, lang)}</td>
                  <td data-label={t('passkeys.last_used')}>{p.lastUsedAt ? formatBeijing(p.lastUsedAt, lang) : t('passkeys.never_used')}</td>
                  <td>
                    <Form action={`/account/passkeys/${p.id}/rename`} class="inline">
                      <label for={inputId} class="visually-hidden">
                        {t('passkeys.rename_label', { name: p.name })}
                      </label>
                      <input
                        id={inputId}
                        name="name"
                        type="text"
                        size={12}
                        maxLength={NAME_MAX * 2}
                        value={p.name}
                        aria-invalid={error ? 'true' : undefined}
                        aria-describedby={error ? `${inputId}-error` : undefined}
                      />{' '}
                      <Submit class="secondary">{t('passkeys.rename')}</Submit>
                      {error && (
                        <p class="error" id={`${inputId}-error`}>
                          {t(error.code, error.params)}
                        </p>
                      )}
                    </Form>{' '}
                    <Form action={`/account/passkeys/${p.id}/remove`} class="inline">
                      <button type="submit" class="secondary" aria-label={t('passkeys.remove_label', { name: p.name })}>
                        {t('passkeys.remove')}
                      </button>
                    </Form>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p>
        <a href="/account/passkeys/new" id="passkey-add-link">
          {t('passkeys.add_link')}
        </a>{' '}
        <span class="hint">{t('passkeys.fresh_note')}</span>
      </p>
    </>
  );
}

// 平台管理 (administrators): the platforms, adding one (its secret shown once), and one platform's
// page: its name and addresses, its logo, rotating its secret, disabling it, what was sent to it.
import { useI18n } from '../../views/i18n-context.ts';
import { useCsrf } from '../../views/form-context.ts';
import { formatBeijing } from '../../lib/time-format.ts';
import { Field, Form, Notice, Submit, TextAreaField, type FieldErrors } from '../../views/components.tsx';
import { SSO_SCOPES } from '../../sso/clients.ts';
import type { MessageKey } from '../../i18n/index.ts';
import type { platformDetail, platformList } from '../platform-service.ts';

type PlatformList = Awaited<ReturnType<typeof platformList>>;
type PlatformDetail = Awaited<ReturnType<typeof platformDetail>>;

/** The scopes an administrator chooses (openid every platform has). */
export const CHOOSABLE_SCOPES = SSO_SCOPES.filter((s) => s !== 'openid');

function Revealed(props: { intro: string; secret: string }) {
  return (
    <Notice kind="success">
      {props.intro}{' '}
      <span class="revealed" id="client-secret">
        {props.secret}
      </span>
    </Notice>
  );
}

/**
 * The single-use token of a form whose answer shows a secret once: its second submission (a
 * reload) changes nothing and shows the platform's page instead.
 */
const FormToken = (props: { value: string }) => <input type="hidden" name="formToken" value={props.value} />;

/** A URI list as one per line, as the textareas take them. */
const lines = (uris: readonly string[] | undefined) => (uris ?? []).join('\n');

/**
 * What a new platform may learn and its logo, on both add forms (OIDC and CAS). `prefix` keeps the
 * ids of the second form's inputs apart from the first's.
 */
function PolicyFields(props: { values: Record<string, string> | undefined; errors: FieldErrors; prefix?: string; scopes?: readonly string[] }) {
  const { t } = useI18n();
  const v = props.values ?? {};
  const e = props.errors;
  const id = (name: string) => `${props.prefix ?? 'f-'}${name}`;
  return (
    <>
      <fieldset class="field">
        <legend>{t('console.platform_scopes')}</legend>
        {(props.scopes ?? CHOOSABLE_SCOPES).map((scope) => (
          <label class="check">
            <input type="checkbox" name={`scope_${scope}`} value="1" checked={props.values ? v[`scope_${scope}`] === '1' : scope === 'profile'} />{' '}
            {t(`sso.scope.${scope as (typeof CHOOSABLE_SCOPES)[number]}`)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={id('idNumber')}>{t('console.platform_id_number')}</label>
        <select id={id('idNumber')} name="idNumber">
          {(['none', 'masked', 'full'] as const).map((access) => (
            <option value={access} selected={(v.idNumber ?? 'none') === access}>
              {t(`console.platform_id_${access}`)}
            </option>
          ))}
        </select>
      </div>
      <label class="check">
        <input type="checkbox" name="requiresRealname" value="1" checked={v.requiresRealname === '1'} /> {t('console.platform_requires_realname')}
      </label>
      <div class={e.logo ? 'field has-error' : 'field'}>
        <label for={id('logo')}>{t('console.platform_logo')}</label>
        <input id={id('logo')} name="logo" type="file" accept="image/png,image/jpeg" aria-describedby={e.logo ? `${id('logo')}-error` : undefined} />
        {e.logo && (
          <p class="error" id={`${id('logo')}-error`} role="alert">
            {t(e.logo.code, e.logo.params)}
          </p>
        )}
      </div>
    </>
  );
}

/** Adding a CAS platform: the services it may be sent back to instead of redirect URIs. */
function AddCasPlatform(props: { values: Record<string, string> | undefined; errors: FieldErrors; formToken: string }) {
  const { t } = useI18n();
  const csrf = useCsrf();
  const v = props.values ?? {};
  const e = props.errors;
  return (
    <section class="panel">
      <h2>{t('console.platform_add_cas_title')}</h2>
      <form method="post" action="/console/platforms/cas" enctype="multipart/form-data" class="form" id="platform-add-cas" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <FormToken value={props.formToken} />
        <Field name="name" id="cas-name" label={t('console.platform_name')} value={v.name} error={e.name} maxLength={60} />
        <CasServiceFields values={v} errors={e} />
        {/* A CAS platform keeps no token after the sign-in: offline access means nothing to it. */}
        <PolicyFields values={props.values} errors={e} prefix="cas-" scopes={CHOOSABLE_SCOPES.filter((s) => s !== 'offline_access')} />
        <Submit id="platform-add-cas-submit">{t('console.platform_add')}</Submit>
      </form>
    </section>
  );
}

function CasServiceFields(props: { values: { services?: string | undefined; proxy?: string | undefined }; errors: FieldErrors }) {
  const { t } = useI18n();
  return (
    <>
      <TextAreaField
        name="services"
        label={t('console.platform_cas_services')}
        hint={t('console.platform_cas_services_hint')}
        value={props.values.services}
        error={props.errors.services}
        rows={2}
        maxLength={8000}
      />
      <label class="check">
        <input type="checkbox" name="proxy" value="1" checked={props.values.proxy === '1'} /> {t('console.platform_cas_proxy')}
      </label>
    </>
  );
}

export function PlatformsPage(props: {
  platforms: PlatformList;
  formToken: string;
  /** The CAS add form's own token. */
  casFormToken: string;
  added?: { name: string; clientId: string; clientSecret: string } | undefined;
  addedCas?: { name: string; clientId: string } | undefined;
  errors?: FieldErrors;
  error?: MessageKey | undefined;
  values?: Record<string, string>;
  casErrors?: FieldErrors;
  casValues?: Record<string, string>;
}) {
  const { t, lang } = useI18n();
  const csrf = useCsrf();
  const v = props.values ?? {};
  const e = props.errors ?? {};
  return (
    <>
      {props.added && (
        <>
          <Notice kind="success">
            <span id="platform-added">{t('console.platform_added', { name: props.added.name, clientId: props.added.clientId })}</span>
          </Notice>
          <Revealed intro={t('console.platform_secret_once')} secret={props.added.clientSecret} />
        </>
      )}
      {props.addedCas && (
        <Notice kind="success">
          <span id="platform-added">{t('console.platform_added', { name: props.addedCas.name, clientId: props.addedCas.clientId })}</span>
        </Notice>
      )}
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      {props.platforms.length === 0 ? (
        <p id="platforms-none">{t('console.platform_none')}</p>
      ) : (
        <div class="staff-table-scroll" tabIndex={0}>
          <table class="grid" id="platform-list">
            <thead>
              <tr>
                <th>{t('console.platform_name')}</th>
                <th>{t('console.platform_client_id')}</th>
                <th>{t('console.platform_protocol')}</th>
                <th>{t('console.col.state')}</th>
                <th>{t('console.col.registered')}</th>
              </tr>
            </thead>
            <tbody>
              {props.platforms.map((p) => (
                <tr data-client={p.client_id}>
                  <td>
                    <a href={`/console/platforms/${p.client_id}`}>{p.name}</a>
                  </td>
                  <td>
                    <code>{p.client_id}</code>
                  </td>
                  <td>{p.protocol === 'cas' ? 'CAS' : 'OpenID Connect'}</td>
                  <td>{t(p.disabled_at ? 'console.platform_state_disabled' : 'console.platform_state_active')}</td>
                  <td>{formatBeijing(p.created_at, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section class="panel">
        <h2>{t('console.platform_add_title')}</h2>
        {/* Multipart for the optional logo; the token rides in the body as on every form. */}
        <form method="post" action="/console/platforms" enctype="multipart/form-data" class="form" id="platform-add" novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          <FormToken value={props.formToken} />
          <Field name="name" label={t('console.platform_name')} value={v.name} error={e.name} maxLength={60} />
          <OidcAddressFields values={v} errors={e} />
          <PolicyFields values={props.values} errors={e} />
          <Submit id="platform-add-submit">{t('console.platform_add')}</Submit>
        </form>
      </section>
      <AddCasPlatform values={props.casValues} errors={props.casErrors ?? {}} formToken={props.casFormToken} />
    </>
  );
}

/** An OIDC platform's addresses, as typed (one URI a line): the add form and a platform's page. */
function OidcAddressFields(props: { values: Record<string, string | undefined>; errors: FieldErrors }) {
  const { t } = useI18n();
  const v = props.values;
  const e = props.errors;
  return (
    <>
      <TextAreaField name="redirectUris" label={t('console.platform_redirect_uris')} value={v.redirectUris} error={e.redirectUris} rows={2} maxLength={8000} />
      <TextAreaField
        name="postLogoutRedirectUris"
        label={t('console.platform_logout_uris')}
        value={v.postLogoutRedirectUris}
        error={e.postLogoutRedirectUris}
        rows={2}
        maxLength={8000}
      />
      <Field
        name="backchannelLogoutUri"
        label={t('console.platform_backchannel')}
        value={v.backchannelLogoutUri}
        error={e.backchannelLogoutUri}
        maxLength={2000}
      />
      <Field name="webhookUrl" label={t('console.platform_webhook')} value={v.webhookUrl} error={e.webhookUrl} maxLength={2000} />
    </>
  );
}

/** A registered platform's addresses in the form's terms. */
const addressesOf = (p: PlatformDetail) => ({
  redirectUris: lines(p.redirect_uris),
  postLogoutRedirectUris: lines(p.post_logout_redirect_uris),
  backchannelLogoutUri: p.backchannel_logout_uri ?? '',
  webhookUrl: p.webhook_url ?? '',
});

export function PlatformPage(props: {
  platform: PlatformDetail;
  formToken: string;
  notice?: MessageKey | undefined;
  alreadyDone?: MessageKey | undefined;
  rotatedSecret?: string | undefined;
  errors?: FieldErrors;
  error?: MessageKey | undefined;
  values?: Record<string, string>;
}) {
  const { t, lang } = useI18n();
  const csrf = useCsrf();
  const p = props.platform;
  const v = props.values;
  const e = props.errors ?? {};
  const base = `/console/platforms/${p.client_id}`;
  const cas = p.protocol === 'cas';
  return (
    <>
      <p>
        <a href="/console/platforms">{t('console.platform_back')}</a>
      </p>
      {props.notice && <Notice kind="success">{t(props.notice)}</Notice>}
      {props.alreadyDone && (
        <Notice kind="info">
          <span id="platform-already-done">{t(props.alreadyDone)}</span>
        </Notice>
      )}
      {props.rotatedSecret && <Revealed intro={`${t('console.platform_rotated')} ${t('console.platform_secret_once')}`} secret={props.rotatedSecret} />}
      {props.error && <Notice kind="error">{t(props.error)}</Notice>}
      <dl class="facts" id="platform-facts">
        <dt>{t('console.platform_client_id')}</dt>
        <dd>
          <code>{p.client_id}</code>
        </dd>
        <dt>{t('console.platform_protocol')}</dt>
        <dd id="platform-protocol">{cas ? 'CAS' : 'OpenID Connect'}</dd>
        <dt>{t('console.col.state')}</dt>
        <dd id="platform-state">{t(p.disabled_at ? 'console.platform_state_disabled' : 'console.platform_state_active')}</dd>
        <dt>{t('console.platform_scopes')}</dt>
        <dd>{p.scopes.map((s) => t(`sso.scope.${s}` as MessageKey)).join('、')}</dd>
        <dt>{t('console.platform_id_number')}</dt>
        <dd>{t(`console.platform_id_${p.id_number_access}`)}</dd>
        <dt>{t('console.platform_requires_realname')}</dt>
        <dd>{p.requires_realname ? '✓' : '—'}</dd>
        <dt>{t('console.col.registered')}</dt>
        <dd>{formatBeijing(p.created_at, lang)}</dd>
      </dl>
      <section class="panel">
        <h2>{t('console.platform_edit_title')}</h2>
        <Form action={`${base}/edit`} id="platform-edit">
          <Field name="name" label={t('console.platform_name')} value={v ? v.name : p.name} error={e.name} maxLength={60} />
          {cas ? (
            <>
              <CasServiceFields
                values={v ? { services: v.services, proxy: v.proxy } : { services: lines(p.cas_services), proxy: p.cas_proxy ? '1' : undefined }}
                errors={e}
              />
            </>
          ) : (
            <OidcAddressFields values={v ?? addressesOf(p)} errors={e} />
          )}
          <Submit id="platform-edit-submit">{t('console.platform_save')}</Submit>
        </Form>
      </section>

      <section class="panel">
        <h2>{t('console.platform_logo_title')}</h2>
        {/* A disabled platform's logo is not served (404), so no broken image: it is kept for when it is enabled. */}
        {p.has_logo && !p.disabled_at && <img class="staff-platform-logo" src={`/sso/platforms/${p.client_id}/logo`} alt={p.name} id="platform-logo" />}
        {p.has_logo && p.disabled_at && (
          <p class="hint" id="platform-logo-hidden">
            {t('console.platform_logo_hidden_disabled')}
          </p>
        )}
        <form method="post" action={`${base}/logo`} enctype="multipart/form-data" class="form" id="platform-logo-form" novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          <div class={e.logo ? 'field has-error' : 'field'}>
            <label for="f-logo">{t('console.platform_logo')}</label>
            <input id="f-logo" name="logo" type="file" accept="image/png,image/jpeg" aria-describedby={e.logo ? 'f-logo-error' : undefined} />
            {e.logo && (
              <p class="error" id="f-logo-error" role="alert">
                {t(e.logo.code, e.logo.params)}
              </p>
            )}
          </div>
          <Submit id="platform-logo-submit">{t('console.platform_logo_upload')}</Submit>{' '}
          {p.has_logo && (
            <Submit name="remove" value="1" class="secondary" id="platform-logo-remove">
              {t('console.platform_logo_remove')}
            </Submit>
          )}
        </form>
      </section>
      <section class="panel">
        <h2>{t(cas ? 'console.platform_state_title' : 'console.platform_secret_title')}</h2>
        {!cas && (
          <Form action={`${base}/rotate-secret`} id="platform-rotate" class="inline">
            <FormToken value={props.formToken} />
            <input name="reason" aria-label={t('console.reason')} placeholder={t('console.reason')} maxLength={200} />{' '}
            <Submit class="secondary" id="platform-rotate-submit">
              {t('console.platform_rotate')}
            </Submit>
          </Form>
        )}
        <p class="hint">{t('console.platform_disable_hint')}</p>
        <Form action={`${base}/${p.disabled_at ? 'enable' : 'disable'}`} id="platform-toggle" class="inline">
          <input name="reason" aria-label={t('console.reason')} placeholder={t('console.reason')} maxLength={200} />{' '}
          <Submit class={p.disabled_at ? 'primary' : 'secondary'} id="platform-toggle-submit">
            {t(p.disabled_at ? 'console.platform_enable' : 'console.platform_disable')}
          </Submit>
        </Form>
      </section>
      <section class="panel">
        <h2>{t('console.platform_deliveries_title')}</h2>
        {p.deliveries.length === 0 ? (
          <p id="platform-no-deliveries">{t('console.platform_no_deliveries')}</p>
        ) : (
          <div class="staff-table-scroll" tabIndex={0}>
            <table class="grid" id="platform-deliveries">
              <thead>
                <tr>
                  <th>{t('console.col.when')}</th>
                  <th>{t('console.col.channel')}</th>
                  <th>{t('console.col.subject')}</th>
                  <th>{t('console.col.state')}</th>
                  <th>{t('console.col.attempts')}</th>
                  <th>{t('console.col.last_error')}</th>
                </tr>
              </thead>
              <tbody>
                {p.deliveries.map((d) => (
                  <tr>
                    <td>{formatBeijing(d.created_at, lang)}</td>
                    <td>{d.channel}</td>
                    <td>{d.subject ?? ''}</td>
                    <td>{d.state}</td>
                    <td>{d.attempts}</td>
                    <td>{d.last_error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

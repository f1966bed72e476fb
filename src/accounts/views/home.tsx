// 帐号管理 home: masked username, state, contacts, and what is still to do.
import { useI18n } from '../../views/i18n-context.ts';
import { Notice } from '../../views/components.tsx';
import type { AccountOverview } from '../account-service.ts';
import type { MessageKey } from '../../i18n/index.ts';

const NEXT_STEP_LINKS: Partial<Record<MessageKey, string>> = {
  'home.todo_realname': '/account/identity',
  'home.todo_resolve': '/account/resolution',
  'home.todo_bind': '/account/binding',
  'home.todo_enterprise_confirm': '/recover/enterprise?wants=confirm',
};

export function HomePage(props: { account: AccountOverview; notice?: string | undefined }) {
  const { t } = useI18n();
  const a = props.account;
  return (
    <>
      {props.notice && <Notice kind="success">{props.notice}</Notice>}
      <dl class="facts">
        <dt>{t('home.username')}</dt>
        <dd id="username">{a.maskedUsername}</dd>
        <dt>{t('home.state')}</dt>
        <dd id="state" data-state={a.state}>
          {t(`state.${a.state}`)}
          {a.enterprise && ` · ${t('home.enterprise')}`}
        </dd>
        <dt>{t('home.phone')}</dt>
        <dd>{a.phone ? a.phone.masked : t('home.not_bound')}</dd>
        <dt>{t('home.email')}</dt>
        <dd>{a.email ? `${a.email.masked}${a.email.verified ? '' : `（${t('home.unverified')}）`}` : t('home.not_bound')}</dd>
        {a.identity && (
          <>
            <dt>{t('identity.name')}</dt>
            <dd id="identity-name">{a.identity.name}</dd>
            <dt>{t('identity.id_number')}</dt>
            <dd id="identity-masked">{a.identity.masked}</dd>
            <dt></dt>
            <dd>{t(a.realnameBound ? 'identity.bound' : 'identity.not_bound')}</dd>
          </>
        )}
      </dl>
      <h2>{t('home.todo')}</h2>
      {a.todo.length === 0 ? (
        <p id="todo-none">{t('home.todo_none')}</p>
      ) : (
        <ul class="todo" id="todo">
          {a.todo.map((item) => (
            <li key={item.key}>{NEXT_STEP_LINKS[item.key] ? <a href={NEXT_STEP_LINKS[item.key]}>{t(item.key, item.params)}</a> : t(item.key, item.params)}</li>
          ))}
        </ul>
      )}
      <p>
        {!a.enterprise && (
          <>
            <a href="/account/identity">{t('identity.title')}</a> ·{' '}
          </>
        )}
        <a href="/account/sessions">{t('home.sessions_link')}</a>
      </p>
      <h2>{t('home.settings')}</h2>
      <ul class="links" id="settings-links">
        <li>
          <a href="/account/password">{t('settings.password_title')}</a>
        </li>
        <li>
          <a href="/account/phone">{t(a.phone?.verified ? 'settings.phone_title' : 'settings.phone_bind_title')}</a>
        </li>
        <li>
          <a href="/account/email">{t(a.email?.verified ? 'settings.email_title' : 'settings.email_bind_title')}</a>
        </li>
        <li>
          <a href="/account/two-factor">{t('mfa.title')}</a>
        </li>
        <li>
          <a href="/account/passkeys">{t('passkeys.title')}</a>
        </li>
        <li>
          <a href="/account/security">{t('security.title')}</a>
        </li>
        <li>
          <a href="/account/platforms">{t('sso.platforms_title')}</a>
        </li>
      </ul>
    </>
  );
}

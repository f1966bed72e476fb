// The provider's own pages (sign-out confirmation, signed out, errors) in Tongxing's look and the
// person's language (the tx_lang cookie), instead of oidc-provider's English defaults.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { parseLang, translator, type Lang } from '../i18n/index.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function langOf(ctx: KoaContextWithOIDC): Lang {
  return parseLang(ctx.cookies.get('tx_lang') ?? undefined) ?? 'zh-CN';
}

function page(lang: Lang, title: string, body: string): string {
  const t = translator(lang);
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)} · ${escape(t('app.name'))}</title><link rel="stylesheet" href="/static/app.css"></head><body><a class="skip-link" href="#main">${escape(t('nav.skip'))}</a><header class="site-header"><a class="brand" href="/"><span class="brand-mark">通行</span> ${escape(t('app.name'))}</a></header><main id="main"><h1>${escape(title)}</h1>${body}</main></body></html>`;
}

export async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const lang = langOf(ctx);
  const t = translator(lang);
  const platform = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
  ctx.type = 'html';
  ctx.body = page(
    lang,
    t('sso.logout_title'),
    `<p>${escape(platform ? t('sso.logout_from', { platform }) : t('sso.logout_question'))}</p>${form}<p><button class="primary" autofocus type="submit" form="op.logoutForm" value="yes" name="logout" id="logout-confirm">${escape(t('sso.logout_yes'))}</button> <button class="secondary" type="submit" form="op.logoutForm" id="logout-cancel">${escape(t('sso.logout_no'))}</button></p>`,
  );
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  const lang = langOf(ctx);
  const t = translator(lang);
  ctx.type = 'html';
  ctx.body = page(
    lang,
    t('sso.logged_out_title'),
    `<p id="logged-out">${escape(t('sso.logged_out'))}</p><p><a href="/login">${escape(t('nav.login'))}</a></p>`,
  );
}

export async function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, error?: unknown): Promise<void> {
  const lang = langOf(ctx);
  const t = translator(lang);
  ctx.type = 'html';
  // The database away: nothing is wrong with the request; it is answered 503 (database-unavailable.ts).
  if (isDatabaseUnavailable(error)) {
    ctx.body = page(lang, t('error.server.title'), `<div class="notice notice-error" role="alert">${escape(t('error.unavailable.body'))}</div>`);
    return;
  }
  ctx.body = page(
    lang,
    t('sso.error_title'),
    `<div class="notice notice-error" role="alert">${escape(t('sso.error_body'))}</div><p class="hint">${escape(out.error)}${out.error_description ? `: ${escape(out.error_description)}` : ''}</p>`,
  );
}

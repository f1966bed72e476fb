// /legal/<kind>: a document in the reader's language with its version; /consent: the new
// versions to agree to before a sign-in goes on (or sign out instead).
import { useI18n } from '../../views/i18n-context.ts';
import { Form, Submit } from '../../views/components.tsx';
import { LEGAL_DOCUMENTS, type LegalDocument } from '../documents.ts';
import type { RetentionPeriod } from '../retention-periods.ts';

export function LegalDocumentPage(props: { document: LegalDocument }) {
  const { t } = useI18n();
  const others = LEGAL_DOCUMENTS.filter((kind) => kind !== props.document.kind);
  return (
    <>
      <p class="lead" id="legal-version">
        {t('consent.version', { version: props.document.version })}
      </p>
      {/* markdown-it output of the operator's files, raw HTML off (documents.ts). */}
      <div class="help-article" id="legal-text" dangerouslySetInnerHTML={{ __html: props.document.html }} />
      <p>
        {t('consent.other_document')}{' '}
        {others.map((kind) => (
          <a key={kind} href={`/legal/${kind}`}>
            《{t(`consent.${kind}`)}》
          </a>
        ))}
      </p>
    </>
  );
}

/** /legal/retention: the periods as configured (retention-periods.ts). */
export function RetentionPage(props: { periods: RetentionPeriod[] }) {
  const { t } = useI18n();
  return (
    <>
      <p class="lead">{t('periods.intro')}</p>
      <table id="retention-periods">
        <thead>
          <tr>
            <th scope="col">{t('periods.what')}</th>
            <th scope="col">{t('periods.kept')}</th>
          </tr>
        </thead>
        <tbody>
          {props.periods.map((period) => (
            <tr key={period.what}>
              <td>{t(period.what)}</td>
              <td>{t(period.kept.key, period.kept.params)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/legal/privacy">《{t('consent.privacy')}》</a>
      </p>
    </>
  );
}

export interface RenewItem {
  document: LegalDocument;
  /** The version agreed before; undefined: never agreed (an account older than consent records). */
  agreed: string | undefined;
}

/**
 * Where 不同意 posts: signing out, and when a platform's sign-in waits behind this page (`next`),
 * its protocol's own way of ending it, so that the platform hears no rather than nothing: an
 * OpenID Connect interaction is aborted (the platform's redirect_uri gets access_denied), a CAS
 * login returns no ticket. Both sign out too.
 */
function declineTarget(next: string | undefined): { action: string; fields: Record<string, string> } {
  const interaction = next ? /^\/sso\/interaction\/([A-Za-z0-9_-]+)$/.exec(next) : null;
  if (interaction) return { action: `/sso/interaction/${interaction[1]}/abort`, fields: { reason: 'consent_declined' } };
  if (next?.startsWith('/cas/login?')) return { action: '/cas/decline', fields: { next } };
  return { action: '/logout', fields: {} };
}

export function RenewConsentPage(props: { items: RenewItem[]; versions: Readonly<Record<string, string>>; next: string | undefined }) {
  const { t } = useI18n();
  const decline = declineTarget(props.next);
  return (
    <>
      <p class="lead">{t('consent.renew_intro')}</p>
      {props.items.map(({ document, agreed }) => (
        <section key={document.kind} aria-labelledby={`renew-${document.kind}`} id={`renew-${document.kind}-section`}>
          <h2 id={`renew-${document.kind}`}>
            《{document.title}》 {t('consent.version', { version: document.version })}
          </h2>
          <p class="hint">{agreed ? t('consent.renew_accepted_before', { version: agreed }) : t('consent.renew_never')}</p>
          <div class="help-article legal-renew" dangerouslySetInnerHTML={{ __html: document.html }} />
        </section>
      ))}
      <Form action="/consent" id="consent-renew">
        {props.next && <input type="hidden" name="next" value={props.next} />}
        {/* What was shown: an operator publishing yet another version meanwhile makes this page ask again. */}
        {Object.entries(props.versions).map(([kind, version]) => (
          <input key={kind} type="hidden" name={`version_${kind}`} value={version} />
        ))}
        <Submit id="consent-renew-submit">{t('consent.renew_submit')}</Submit>
      </Form>
      <Form action={decline.action} id="consent-decline" class="inline">
        {Object.entries(decline.fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <Submit class="secondary" id="consent-decline-submit">
          {t('consent.renew_decline')}
        </Submit>
      </Form>
      {/* Not agreeing leaves the person's rights over what is held: both stay open (due-gate.ts). */}
      <p class="hint" id="consent-rights">
        {t('consent.renew_rights_before')} <a href="/account/export">{t('consent.renew_rights_export')}</a>
        {t('consent.renew_rights_or')} <a href="/account/deregister">{t('consent.renew_rights_leave')}</a>
        {t('consent.renew_rights_after')}
      </p>
    </>
  );
}

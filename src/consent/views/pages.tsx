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

export function RenewConsentPage(props: { items: RenewItem[]; versions: Readonly<Record<string, string>>; next: string | undefined }) {
  const { t } = useI18n();
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
      <Form action="/logout" id="consent-decline" class="inline">
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

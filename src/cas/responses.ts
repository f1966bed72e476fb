// The CAS 3.0 validation and proxy answers (§2.5–2.7, Appendix A), as XML in the
// http://www.yale.edu/tp/cas namespace or, with format=JSON, the specification's JSON form. Every
// value is escaped: a name or an email address is text the person typed.

export type CasErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_TICKET_SPEC'
  | 'UNAUTHORIZED_SERVICE_PROXY'
  | 'INVALID_PROXY_CALLBACK'
  | 'INVALID_TICKET'
  | 'INVALID_SERVICE'
  /** /proxy only (§2.7.2): the target service is not one Tongxing knows. */
  | 'UNAUTHORIZED_SERVICE'
  | 'INTERNAL_ERROR';

export type CasFormat = 'XML' | 'JSON';

/** Attribute values by name; several values are several elements (XML) or an array (JSON). */
export type CasAttributes = Record<string, string | boolean | readonly string[]>;

export interface CasSuccess {
  user: string;
  attributes: CasAttributes;
  proxyGrantingTicketIou?: string | undefined;
  /** Proxy callback URLs the ticket came through, the most recent first (§2.6.2). */
  proxies: readonly string[];
}

const CAS_NS = 'http://www.yale.edu/tp/cas';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const element = (name: string, text: string) => `<cas:${name}>${escapeXml(text)}</cas:${name}>`;
const values = (value: CasAttributes[string]): string[] => (Array.isArray(value) ? [...value] : [String(value)]);
const wrap = (inner: string) => `<cas:serviceResponse xmlns:cas="${CAS_NS}">\n${inner}\n</cas:serviceResponse>\n`;

export function successBody(format: CasFormat, s: CasSuccess): string {
  if (format === 'JSON') {
    const attributes = Object.fromEntries(Object.entries(s.attributes).map(([k, v]) => [k, values(v)]));
    return JSON.stringify({
      serviceResponse: {
        authenticationSuccess: {
          user: s.user,
          ...(s.proxyGrantingTicketIou ? { proxyGrantingTicket: s.proxyGrantingTicketIou } : {}),
          ...(s.proxies.length ? { proxies: s.proxies } : {}),
          attributes,
        },
      },
    });
  }
  const attributes = Object.entries(s.attributes)
    .flatMap(([name, value]) => values(value).map((v) => `      ${element(name, v)}`))
    .join('\n');
  return wrap(
    [
      '  <cas:authenticationSuccess>',
      `    ${element('user', s.user)}`,
      `    <cas:attributes>\n${attributes}\n    </cas:attributes>`,
      ...(s.proxyGrantingTicketIou ? [`    ${element('proxyGrantingTicket', s.proxyGrantingTicketIou)}`] : []),
      ...(s.proxies.length ? [`    <cas:proxies>\n${s.proxies.map((p) => `      ${element('proxy', p)}`).join('\n')}\n    </cas:proxies>`] : []),
      '  </cas:authenticationSuccess>',
    ].join('\n'),
  );
}

export function failureBody(format: CasFormat, code: CasErrorCode, description: string): string {
  if (format === 'JSON') return JSON.stringify({ serviceResponse: { authenticationFailure: { code, description } } });
  return wrap(`  <cas:authenticationFailure code="${code}">${escapeXml(description)}</cas:authenticationFailure>`);
}

export function proxySuccessBody(format: CasFormat, proxyTicket: string): string {
  if (format === 'JSON') return JSON.stringify({ serviceResponse: { proxySuccess: { proxyTicket } } });
  return wrap(`  <cas:proxySuccess>\n    ${element('proxyTicket', proxyTicket)}\n  </cas:proxySuccess>`);
}

export function proxyFailureBody(format: CasFormat, code: CasErrorCode, description: string): string {
  if (format === 'JSON') return JSON.stringify({ serviceResponse: { proxyFailure: { code, description } } });
  return wrap(`  <cas:proxyFailure code="${code}">${escapeXml(description)}</cas:proxyFailure>`);
}

/**
 * The single-logout message (§2.3.3, Appendix C): a SAML 2.0 LogoutRequest whose SessionIndex is
 * the service ticket the platform validated, POSTed as the form field `logoutRequest`.
 */
export function logoutRequestXml(id: string, issuedAt: Date, serviceTicket: string): string {
  return (
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"` +
    ` ID="${escapeXml(id)}" Version="2.0" IssueInstant="${issuedAt.toISOString()}">` +
    `<saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>${escapeXml(serviceTicket)}</samlp:SessionIndex></samlp:LogoutRequest>`
  );
}

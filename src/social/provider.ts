// The one interface WeChat (微信开放平台, 网站应用) and Alipay (开放平台, 网页授权) sign-ins stand
// behind. A provider knows its own protocol only: the URL that shows the QR code or the Alipay
// page, and how to turn the code it sends back into the person's stable identity there. Binding,
// sign-in, limits and audit are the social service's, the same for both.
//
// Each provider has a real client (its endpoints configurable) and a loopback simulator that
// speaks the same HTTP shapes; which one a deployment uses is configuration, never code.

export type SocialProviderName = 'wechat' | 'alipay';

/** The person as the provider knows them. `subject` is the stable identity Tongxing binds. */
export interface SocialIdentity {
  provider: SocialProviderName;
  /** WeChat: unionid, else openid. Alipay: user_id, else open_id. */
  subject: string;
  /** The nickname the provider shows, for the person's own 帐号管理 page (never for sign-in). */
  displayName?: string | undefined;
  /**
   * What the provider called the same person before, looked up when `subject` is bound to no one
   * (WeChat: the openid, once the application joins an open-platform account and a unionid comes
   * too); a binding found so is moved to `subject`.
   */
  formerSubjects?: readonly string[] | undefined;
}

/**
 * Why a code did not turn into an identity, as the service explains it to the person:
 * - invalid_code   the provider does not know the code (WeChat 40029, Alipay isv.code-invalid)
 * - code_used      the code was already exchanged (WeChat 40163)
 * - code_expired   the code is older than the provider allows (WeChat 42003)
 * - denied         the person declined, or the application is not allowed the scope
 * - misconfigured  the provider refused Tongxing's own credentials (a wrong secret or key)
 * - unavailable    the provider could not be reached or answered something unreadable,
 *                  including a response whose signature does not verify
 */
export type SocialFailure = 'invalid_code' | 'code_used' | 'code_expired' | 'denied' | 'misconfigured' | 'unavailable';

export class SocialProviderError extends Error {
  readonly provider: SocialProviderName;
  readonly failure: SocialFailure;
  /** The provider's own code (errcode, sub_code), for the log; never shown as the message. */
  readonly providerCode: string | undefined;
  constructor(provider: SocialProviderName, failure: SocialFailure, providerCode?: string, message?: string) {
    super(message ?? `${provider}: ${failure}${providerCode ? ` (${providerCode})` : ''}`);
    this.name = 'SocialProviderError';
    this.provider = provider;
    this.failure = failure;
    this.providerCode = providerCode;
  }
}

export interface SocialProvider {
  readonly name: SocialProviderName;
  /**
   * Where the browser goes to scan or approve. `state` is the service's, bound to this browser;
   * `redirectUri` is Tongxing's callback, registered with the provider.
   */
  authorizationUrl(input: { state: string; redirectUri: string }): string;
  /** Exchanges the code the provider sent back for the person's identity. Throws SocialProviderError. */
  identify(input: { code: string; redirectUri: string }): Promise<SocialIdentity>;
}

// A platform authenticates the way it registered, and only that way. oidc-provider treats
// client_secret_basic and client_secret_post as one method (either form of the secret passes for
// a client registered with either); RFC 7591 makes token_endpoint_auth_method a promise about the
// client, and a secret accepted in a request body is one that a stray log or proxy of form posts
// can leak. So the secret's comparison first checks where the request carried it.
import Provider, { errors } from 'oidc-provider';

export function enforceRegisteredClientAuthMethod(provider: Provider): void {
  const prototype = provider.Client.prototype as { compareClientSecret(actual: string): Promise<boolean> | boolean; clientAuthMethod?: string };
  const compare = prototype.compareClientSecret;
  prototype.compareClientSecret = function (this: typeof prototype, actual: string) {
    // The request being authenticated (the provider keeps it in async-local storage).
    const params = Provider.ctx?.oidc?.params as Record<string, unknown> | undefined;
    // As the provider reads it: a non-empty client_secret parameter is the secret sent in the body.
    const sentInBody = Boolean(params?.client_secret);
    if (sentInBody !== (this.clientAuthMethod === 'client_secret_post')) {
      throw new errors.InvalidClientAuth('the provided authentication mechanism does not match the registered client authentication method');
    }
    return compare.call(this, actual);
  };
}

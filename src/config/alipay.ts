// Alipay sign-in (开放平台 网页应用, 用户信息授权) from the environment. It lives beside config.ts
// (module "config") so that loadConfig can refuse a wrong setting at start, naming the variable.
//
//   ALIPAY_PROVIDER       alipay | simulator | off. Default: "alipay" when ALIPAY_APP_ID is set;
//                         otherwise "simulator" outside production (the loopback simulator at
//                         /dev/alipay, its keys generated at start: nothing to configure) and
//                         "off" in production. Production refuses "simulator".
//   ALIPAY_APP_ID         the application's APPID (digits, e.g. 2021000122671080)
//   ALIPAY_PRIVATE_KEY    the application's private key (应用私钥), RSA 2048: PEM (PKCS#1 or
//                         PKCS#8) or the bare base64 the console's key tool prints; "\n" may be
//                         written as the two characters \ and n
//   ALIPAY_PUBLIC_KEY     Alipay's public key for this application (支付宝公钥, not 应用公钥):
//                         PEM or bare base64
//   ALIPAY_GATEWAY        https://openapi.alipay.com/gateway.do (sandbox:
//                         https://openapi-sandbox.dl.alipaydev.com/gateway.do)
//   ALIPAY_AUTHORIZE_URL  https://openauth.alipay.com/oauth2/publicAppAuthorize.htm (sandbox:
//                         https://openauth-sandbox.dl.alipaydev.com/oauth2/publicAppAuthorize.htm)
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export const ALIPAY_GATEWAY = 'https://openapi.alipay.com/gateway.do';
export const ALIPAY_AUTHORIZE_URL = 'https://openauth.alipay.com/oauth2/publicAppAuthorize.htm';

export type AlipayConfig =
  | { provider: 'off' }
  /** The in-process simulator mounted at /dev/alipay (never in production). */
  | { provider: 'simulator' }
  | {
      provider: 'alipay';
      appId: string;
      /** PKCS#8 PEM, whatever form it was given in. */
      privateKeyPem: string;
      /** SPKI PEM. */
      alipayPublicKeyPem: string;
      gateway: string;
      authorizeUrl: string;
    };

const VARIABLES = ['ALIPAY_PROVIDER', 'ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY', 'ALIPAY_GATEWAY', 'ALIPAY_AUTHORIZE_URL'] as const;

/** The Alipay settings, or the lines that say what is wrong with them (in loadConfig's format). */
export function readAlipayConfig(env: NodeJS.ProcessEnv, production: boolean): { config: AlipayConfig; problems: string[] } {
  const v = Object.fromEntries(VARIABLES.map((k) => [k, env[k]?.trim() || undefined])) as Record<(typeof VARIABLES)[number], string | undefined>;
  const problems: string[] = [];
  const provider = v.ALIPAY_PROVIDER ?? (v.ALIPAY_APP_ID ? 'alipay' : production ? 'off' : 'simulator');
  if (provider !== 'alipay' && provider !== 'simulator' && provider !== 'off') {
    return { config: { provider: 'off' }, problems: ['  ALIPAY_PROVIDER: "alipay", "simulator" (not in production) or "off"'] };
  }
  if (provider === 'off') return { config: { provider }, problems };
  if (provider === 'simulator') {
    if (production)
      problems.push('  ALIPAY_PROVIDER: the simulator signs in anyone as anyone; set "alipay" with ALIPAY_APP_ID and the keys, or "off", in production');
    return { config: { provider }, problems };
  }

  if (!v.ALIPAY_APP_ID) problems.push('  ALIPAY_APP_ID: required when ALIPAY_PROVIDER=alipay (the APPID of the web application)');
  else if (!/^\d{6,32}$/.test(v.ALIPAY_APP_ID)) problems.push('  ALIPAY_APP_ID: the APPID is digits only (e.g. 2021000122671080)');
  let privateKey: KeyObject | undefined;
  let alipayKey: KeyObject | undefined;
  if (!v.ALIPAY_PRIVATE_KEY) problems.push('  ALIPAY_PRIVATE_KEY: required when ALIPAY_PROVIDER=alipay (the application private key, 应用私钥)');
  else {
    privateKey = readRsaPrivateKey(v.ALIPAY_PRIVATE_KEY);
    if (!privateKey) problems.push('  ALIPAY_PRIVATE_KEY: an RSA private key of at least 2048 bits, PEM or bare base64 (PKCS#1 or PKCS#8)');
  }
  if (!v.ALIPAY_PUBLIC_KEY) problems.push('  ALIPAY_PUBLIC_KEY: required when ALIPAY_PROVIDER=alipay (支付宝公钥, from the application page of the console)');
  else {
    alipayKey = readRsaPublicKey(v.ALIPAY_PUBLIC_KEY);
    if (!alipayKey) problems.push('  ALIPAY_PUBLIC_KEY: an RSA public key of at least 2048 bits, PEM or bare base64');
  }
  // The console shows both 应用公钥 and 支付宝公钥; pasting the first makes every answer fail to verify.
  if (privateKey && alipayKey && spki(createPublicKey(privateKey)) === spki(alipayKey))
    problems.push("  ALIPAY_PUBLIC_KEY: is the application's own public key (应用公钥); paste Alipay's public key (支付宝公钥) instead");
  const gateway = endpoint(v.ALIPAY_GATEWAY ?? ALIPAY_GATEWAY, 'ALIPAY_GATEWAY', production, problems);
  const authorizeUrl = endpoint(v.ALIPAY_AUTHORIZE_URL ?? ALIPAY_AUTHORIZE_URL, 'ALIPAY_AUTHORIZE_URL', production, problems);
  if (problems.length || !privateKey || !alipayKey) return { config: { provider: 'off' }, problems };
  return {
    config: {
      provider,
      appId: v.ALIPAY_APP_ID!,
      privateKeyPem: (privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).trim(),
      alipayPublicKeyPem: spki(alipayKey),
      gateway,
      authorizeUrl,
    },
    problems,
  };
}

function endpoint(value: string, name: string, production: boolean, problems: string[]): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) problems.push(`  ${name}: an http(s) URL`);
  else if (production && url.protocol !== 'https:') problems.push(`  ${name}: must be https:// in production`);
  return value;
}

const spki = (key: KeyObject) => (key.export({ type: 'spki', format: 'pem' }) as string).trim();

/** Environment files often hold a PEM on one line with "\n" written out. */
const unescape = (text: string) => text.replace(/\\n/g, '\n').trim();

const strongRsa = (key: KeyObject) => key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;

/** An RSA private key from PEM (PKCS#1 or PKCS#8) or bare base64 DER; undefined when it is none. */
export function readRsaPrivateKey(text: string): KeyObject | undefined {
  const value = unescape(text);
  const attempts: Array<() => KeyObject> = value.startsWith('-----BEGIN')
    ? [() => createPrivateKey(value)]
    : [
        () => createPrivateKey({ key: Buffer.from(value.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' }),
        () => createPrivateKey({ key: Buffer.from(value.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs1' }),
      ];
  return firstKey(attempts);
}

/** An RSA public key from PEM (SPKI or PKCS#1) or bare base64 DER; undefined when it is none. */
export function readRsaPublicKey(text: string): KeyObject | undefined {
  const value = unescape(text);
  const attempts: Array<() => KeyObject> = value.startsWith('-----BEGIN')
    ? [() => createPublicKey(value)]
    : [
        () => createPublicKey({ key: Buffer.from(value.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' }),
        () => createPublicKey({ key: Buffer.from(value.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs1' }),
      ];
  const key = firstKey(attempts);
  // A private key pasted here would parse as its public half; refuse it rather than hold a secret.
  return key && /PRIVATE KEY/.test(value) ? undefined : key;
}

function firstKey(attempts: Array<() => KeyObject>): KeyObject | undefined {
  for (const attempt of attempts) {
    try {
      const key = attempt();
      if (strongRsa(key)) return key;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

// A captcha service run by someone else (Tencent Cloud 验证码, Geetest v4, Aliyun 验证码 2.0): its
// script draws the challenge in the browser and hands the page a token; the server asks the
// service whether the token is good. Every token is single use at the service. Each verifier is
// tested against a loopback simulator of the service's HTTP API (test/helpers/captcha-services.ts).
//
// When the service cannot be reached or answers oddly, the answer is no (fail closed): a captcha
// that lets everyone through during an outage is one an attacker can cause.

export type VendorKind = 'tencent' | 'geetest' | 'aliyun';

/** What the page needs to show the service's widget. */
export interface VendorWidget {
  kind: VendorKind;
  /** The service's script, loaded from its CDN. */
  scriptUrl: string;
  /** Public identifiers the widget is started with (app id, captcha id, scene id…). */
  params: Record<string, string>;
  /** Origins the widget loads from, for the content security policy. */
  origins: { script: string[]; frame: string[]; connect: string[]; img: string[]; style: string[] };
}

export interface VendorVerifier {
  readonly widget: VendorWidget;
  /** `token` is what the page's glue script posted (the service's result, as JSON). */
  verify(token: string, ip: string): Promise<boolean>;
}

/** Parses the posted JSON into the named string fields, or undefined when any is missing. */
export function tokenFields<K extends string>(token: string, keys: readonly K[]): Record<K, string> | undefined {
  if (token.length > 8_000) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(token);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const out = {} as Record<K, string>;
  for (const key of keys) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value !== 'string' || value.length === 0 || value.length > 4_000) return undefined;
    out[key] = value;
  }
  return out;
}

/** POSTs with a timeout; answers the parsed JSON body, or undefined on any failure. */
export async function postJson(url: string, init: { headers: Record<string, string>; body: string }, timeoutMs = 5_000): Promise<unknown> {
  try {
    const response = await fetch(url, { method: 'POST', headers: init.headers, body: init.body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    const text = await response.text();
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

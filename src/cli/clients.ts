// `tongxing client add …` registers a platform and prints its client id and secret (once);
// `tongxing client list`; (the console's 平台管理 also adds, edits, rotates and disables them); `tongxing sso rotate-key [--retire-older-than DAYS]` adds a signing key.
import type { Config } from '../config.ts';
import { systemClock } from '../lib/clock.ts';
import type { IdNumberAccess } from '../db/schema.ts';
import { readFile } from 'node:fs/promises';
import { SSO_SCOPES, addClient, listClients, prepareLogo, setClientLogo, type SsoScope } from '../sso/clients.ts';
import { AppError, ValidationError } from '../lib/errors.ts';
import { translator } from '../i18n/index.ts';
import { addSigningKey, retireSigningKeys } from '../sso/signing-keys.ts';
import { deliveriesOf } from '../sso/platform-events.ts';
import { addCasPlatform } from '../sso/cas-registry.ts';
import { options, withKeyring } from './context.ts';

const USAGE = `usage: tongxing client add --name NAME --redirect-uri URI [--redirect-uri URI …]
                          [--post-logout-uri URI …] [--backchannel-logout-uri URI] [--webhook-url URI]
                          [--require-realname] [--scopes ${SSO_SCOPES.filter((s) => s !== 'openid').join(',')}]
                          [--id-number none|masked|full] [--logo FILE.png|FILE.jpg]
       tongxing client add --protocol cas --name NAME --service URL_OR_PATTERN [--service …] [--proxy]
                          [--require-realname] [--scopes …] [--id-number none|masked|full]
       tongxing client list
       tongxing client deliveries CLIENT_ID    (webhooks and logout tokens sent to a platform)
       tongxing sso rotate-key [--retire-older-than DAYS]`;

function parse(args: string[]) {
  const many = (name: string) => options(args, name);
  return { many, one: (name: string) => many(name)[0], flag: (name: string) => args.includes(`--${name}`) };
}

/** What the commands act on: the database and the keys that seal platform secrets and signing keys. */
function withKeys<T>(config: Config, work: (deps: Parameters<typeof addClient>[0]) => Promise<T>): Promise<T> {
  return withKeyring(config, (db, keyring) => work({ db, clock: systemClock, keys: keyring.idKeys }));
}

export async function runClientCli(config: Config, args: string[]): Promise<number> {
  const o = parse(args);
  if (args[0] === 'list') {
    return withKeys(config, async ({ db }) => {
      const rows = await listClients(db);
      if (rows.length === 0) console.log('no platforms are registered');
      for (const r of rows)
        console.log(
          `${r.client_id}  ${r.name}${r.disabled_at ? '  (disabled)' : ''}  scopes=${r.scopes.join(',')}  realname=${r.requires_realname ? 'required' : 'optional'}  id_number=${r.id_number_access}  ${r.redirect_uris.join(' ')}`,
        );
      return 0;
    });
  }
  if (args[0] === 'deliveries' && args[1]) {
    return withKeys(config, async ({ db }) => {
      const rows = await deliveriesOf(db, args[1]!);
      if (rows.length === 0) console.log('nothing has been sent to this platform');
      for (const r of rows) {
        console.log(
          `${r.created_at.toISOString()}  ${r.channel.padEnd(18)} ${(r.subject ?? '').padEnd(24)} ${r.state.padEnd(8)} attempts=${r.attempts}${r.last_error ? `  last error: ${r.last_error}` : ''}`,
        );
      }
      return 0;
    });
  }
  if (args[0] === 'add' && o.one('protocol') === 'cas') return addCas(config, o);
  if (args[0] !== 'add' || !o.one('name') || o.many('redirect-uri').length === 0) {
    console.error(USAGE);
    return 2;
  }
  const policy = releasePolicy(o);
  if (!policy) {
    console.error(`unknown scope or --id-number value\n\n${USAGE}`);
    return 2;
  }
  const { scopes, idNumber } = policy;
  const logoFile = o.one('logo');
  let logo: Buffer | undefined;
  try {
    logo = logoFile ? await readFile(logoFile) : undefined;
    if (logo) prepareLogo(logo);
  } catch (error) {
    console.error(describe(error));
    return 1;
  }
  return withKeys(config, async (deps) => {
    try {
      const { clientId, clientSecret } = await addClient(deps, {
        name: o.one('name')!,
        redirectUris: o.many('redirect-uri'),
        postLogoutRedirectUris: o.many('post-logout-uri'),
        backchannelLogoutUri: o.one('backchannel-logout-uri'),
        webhookUrl: o.one('webhook-url'),
        requiresRealname: o.flag('require-realname'),
        scopes: scopes as SsoScope[],
        idNumberAccess: idNumber,
      });
      if (logo) await setClientLogo(deps, clientId, logo);
      console.log(`client_id=${clientId}\nclient_secret=${clientSecret}\n(the secret is shown this once; keep it on the platform's server)`);
      return 0;
    } catch (error) {
      console.error(describe(error));
      return 1;
    }
  });
}

/** --scopes and --id-number, the release policy every platform has; undefined when one is unknown. */
function releasePolicy(o: ReturnType<typeof parse>): { scopes: SsoScope[]; idNumber: IdNumberAccess } | undefined {
  const scopes = (o.one('scopes') ?? 'profile')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const idNumber = (o.one('id-number') ?? 'none') as IdNumberAccess;
  if (scopes.some((s) => !(SSO_SCOPES as readonly string[]).includes(s)) || !['none', 'masked', 'full'].includes(idNumber)) return undefined;
  return { scopes: scopes as SsoScope[], idNumber };
}

/** `client add --protocol cas`: a CAS platform, by the services it may be sent back to. */
async function addCas(config: Config, o: ReturnType<typeof parse>): Promise<number> {
  const policy = releasePolicy(o);
  if (!o.one('name') || o.many('service').length === 0 || !policy) {
    console.error(USAGE);
    return 2;
  }
  return withKeys(config, async (deps) => {
    try {
      const { clientId } = await addCasPlatform(
        deps,
        {
          name: o.one('name')!,
          services: o.many('service'),
          proxy: o.flag('proxy'),
          requiresRealname: o.flag('require-realname'),
          scopes: policy.scopes,
          idNumberAccess: policy.idNumber,
        },
        !config.production,
      );
      console.log(`client_id=${clientId}\nCAS server: ${config.publicUrl}/cas (login, serviceValidate, p3/serviceValidate, proxyValidate, proxy, logout)`);
      return 0;
    } catch (error) {
      console.error(describe(error));
      return 1;
    }
  });
}

/** The same messages the console shows (sso/clients.ts validates for both), in English. */
function describe(error: unknown): string {
  const t = translator('en');
  if (error instanceof ValidationError)
    return Object.values(error.fields)
      .map((f) => t(f.code, f.params))
      .join('\n');
  if (error instanceof AppError) return t(error.code, error.params);
  return (error as Error).message;
}

export async function runSsoCli(config: Config, args: string[]): Promise<number> {
  if (args[0] !== 'rotate-key') {
    console.error(USAGE);
    return 2;
  }
  const retire = retireDays(args);
  if (retire.error) {
    console.error(retire.error);
    return 2;
  }
  const { days } = retire;
  return withKeys(config, async (deps) => {
    const kid = await addSigningKey(deps);
    console.log(
      `new signing key ${kid}: published now; every running node signs with it in 2 to 2½ minutes (once cached key sets have it), and older keys stay published`,
    );
    if (days !== undefined) console.log(`retired ${await retireSigningKeys(deps, days)} keys replaced over ${days} days ago (the key signing now stays)`);
    return 0;
  });
}

/**
 * `--retire-older-than DAYS`: whole days, at least one. Checked before the new key is made, so a
 * mistyped number changes nothing (a fraction or 0 once retired the key still signing, and a word
 * silently retired nothing).
 */
function retireDays(args: string[]): { days?: number; error?: string } {
  if (!args.includes('--retire-older-than')) return {};
  const given = parse(args).one('retire-older-than');
  if (given === undefined || !/^[1-9]\d*$/.test(given))
    return {
      error: `--retire-older-than takes a whole number of days, at least 1 (got ${given === undefined ? 'nothing' : `"${given}"`}); nothing was changed\n${USAGE}`,
    };
  return { days: Number(given) };
}

// `npm run bench` (last part): does 手机校验码登录 take the same time for a number with an account
// as for one without? Both steps (免费获取校验码, then 登录 with a wrong code) for a registered and
// an unregistered number, interleaved so both see the same machine, in-process on PGlite with
// limits lifted (they apply to every number alike and would measure the limiter). Prints each
// step's median and p90 and the ratio registered / unregistered; 1.00 means indistinguishable.
// Writes test-results/bench-sms-sign-in.json. Knob: BENCH_SMS_TRIES (default 300).
import { mkdirSync, writeFileSync } from 'node:fs';
import { getTestInstance, knownCaptcha } from '../test/helpers/app.ts';
import { Agent } from '../test/helpers/agent.ts';
import { skipUnlessSelected } from './only.ts';

skipUnlessSelected('sms');

const TRIES = Number(process.env.BENCH_SMS_TRIES ?? 300);
const WARMUP = 20;
const root = new URL('..', import.meta.url).pathname;
const plenty = { points: 1_000_000_000, durationSeconds: 3_600 };

const t = await getTestInstance({
  services: { drawCaptcha: knownCaptcha('b3Nc') },
  limits: {
    codesPerIp: plenty,
    codesGlobal: plenty,
    codesPerPhonePrefix: plenty,
    signInCodeResendPerPhone: plenty,
    signInCodesPerPhoneDaily: plenty,
    smsSendsBeforeCaptcha: plenty,
    codeGuessesPerIp: plenty,
  },
});
const { phone: registered } = await t.registerPhone();
const unregistered = t.nextPhone();

async function timed(agent: Agent, url: string, fields: Record<string, string>): Promise<number> {
  const started = process.hrtime.bigint();
  const page = await agent.submit(url, fields);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (page.status >= 500) throw new Error(`${url} answered ${page.status}`);
  return ms;
}

const samples = { ask: { registered: [] as number[], unregistered: [] as number[] }, check: { registered: [] as number[], unregistered: [] as number[] } };
const agents = { registered: new Agent(t.app, { ip: '198.51.100.21' }), unregistered: new Agent(t.app, { ip: '198.51.100.22' }) };
for (const agent of Object.values(agents)) await agent.get('/login/sms');
for (let i = 0; i < WARMUP + TRIES; i++) {
  // Alternate which goes first, so neither always runs on a warmer cache.
  const order = i % 2 === 0 ? (['registered', 'unregistered'] as const) : (['unregistered', 'registered'] as const);
  for (const who of order) {
    const phone = who === 'registered' ? registered : unregistered;
    const ask = await timed(agents[who], '/login/sms/code', { phone });
    // A fresh code each round, so every check is a first wrong try.
    const check = await timed(agents[who], '/login/sms', { phone, code: '000001' });
    if (i >= WARMUP) {
      samples.ask[who].push(ask);
      samples.check[who].push(check);
    }
  }
}
await t.close();

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)]!;
const summary = Object.fromEntries(
  (['ask', 'check'] as const).map((step) => {
    const s = samples[step];
    const figures = {
      registered: { p50: quantile(s.registered, 0.5), p90: quantile(s.registered, 0.9) },
      unregistered: { p50: quantile(s.unregistered, 0.5), p90: quantile(s.unregistered, 0.9) },
    };
    return [step, { ...figures, ratioP50: figures.registered.p50 / figures.unregistered.p50 }];
  }),
);

console.log(`\n手机校验码登录, registered vs unregistered number (${TRIES} interleaved tries each, PGlite, in-process)`);
for (const [step, label] of [
  ['ask', '免费获取校验码'],
  ['check', '登录 with a wrong code'],
] as const) {
  const s = summary[step]!;
  console.log(
    `  ${label.padEnd(24)} p50 ${s.registered.p50.toFixed(2)} ms vs ${s.unregistered.p50.toFixed(2)} ms   p90 ${s.registered.p90.toFixed(2)} vs ${s.unregistered.p90.toFixed(2)}   ratio ${s.ratioP50.toFixed(3)}`,
  );
}
mkdirSync(`${root}test-results`, { recursive: true });
writeFileSync(`${root}test-results/bench-sms-sign-in.json`, JSON.stringify({ tries: TRIES, ...summary }, null, 2));

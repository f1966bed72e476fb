// Every sender and guesser is limited here, through rate-limiter-flexible: counters live in the
// database by default (PGlite or PostgreSQL, same table) and in Redis when REDIS_URL is set, so
// several service instances share them. Keys are keyed hashes: no phone or email in the store.
import { CompiledQuery } from 'kysely';
import { RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Db } from '../db/client.ts';
import { hmacSha256 } from '../lib/crypto.ts';
import { RateLimitedError } from '../lib/errors.ts';
import { noteCleared, noteRefunded, noteSpent } from './limit-ledger.ts';
import { createRedisBreaker, type BreakerTimings } from './redis-breaker.ts';
import { runRedisSteps, type RedisStep } from './redis-steps.ts';
import { settleCounters, spendCounters, type CounterStep } from './queries.ts';

/** points per duration (seconds); blockSeconds > 0 blocks the key for that long once exceeded. */
export interface LimitRule {
  points: number;
  durationSeconds: number;
  blockSeconds?: number;
}

export const defaultLimitPolicy = {
  /** 60 s between two codes to one phone or address (免费获取 countdown). */
  codeResendPerTarget: { points: 1, durationSeconds: 60 },
  /** A target asked too often is blocked for a day (the seed's 黑名单 warning). */
  codesPerTargetDaily: { points: 10, durationSeconds: 86_400, blockSeconds: 86_400 },
  codesPerIp: { points: 30, durationSeconds: 3_600 },
  /**
   * Codes from the whole cluster (the counter is shared): a cap on what a pumping run that beats
   * every other limit can cost. Sized for a national peak (docs/capacity.md: 83 codes/s in the
   * busiest hour) with room to spare; an operator sizes it for their own season (RATE_LIMITS).
   */
  codesGlobal: { points: 12_000, durationSeconds: 60 },
  /** And in a day (the busiest day sends about 2 million): a run under the per-minute rate still ends here. */
  codesGlobalDaily: { points: 5_000_000, durationSeconds: 86_400 },
  /**
   * SMS to one number block (the first 7 digits: 号段 and HLR region) in an hour. Pumping fraud
   * sends to ranges of numbers whose operator shares the fee; people registering are spread out.
   */
  codesPerPhonePrefix: { points: 200, durationSeconds: 3_600 },
  /**
   * 手机校验码登录 codes to one number: their own 60 s and daily counts, apart from the number's
   * other codes, which only registered (or only unregistered) numbers receive — shared counts
   * would refuse the two kinds at different points and so tell them apart.
   */
  signInCodeResendPerPhone: { points: 1, durationSeconds: 60 },
  signInCodesPerPhoneDaily: { points: 10, durationSeconds: 86_400, blockSeconds: 86_400 },
  /** SMS codes anyone may have sent from one IP without a captcha; past these each needs one. */
  smsSendsBeforeCaptcha: { points: 3, durationSeconds: 3_600 },
  /** 邮箱 IP 受限: email registrations per IP per day. */
  emailRegistrationsPerIp: { points: 5, durationSeconds: 86_400 },
  registrationsPerIp: { points: 30, durationSeconds: 3_600 },
  /** Wrong codes guessed from one IP, across targets. */
  codeGuessesPerIp: { points: 30, durationSeconds: 3_600, blockSeconds: 3_600 },
  /** Failed sign-ins from one IP, any account. */
  loginFailuresPerIp: { points: 200, durationSeconds: 3_600, blockSeconds: 3_600 },
  /** Failed sign-ins for one account from anywhere: from this many on, a captcha is required. */
  loginFailuresBeforeCaptcha: { points: 3, durationSeconds: 3_600 },
  /** Failures for one account from one IP in a day; past the free ones each doubles the wait. */
  loginFailuresPerAccountIp: { points: 1_000, durationSeconds: 86_400 },
  /** Holds the growing wait set after repeated failures (account + IP only: no global lockout). */
  loginDelayPerAccountIp: { points: 1, durationSeconds: 86_400 },
  captchasPerIp: { points: 120, durationSeconds: 3_600 },
  /** Support requests filed without an account from one IP in an hour (signed-in people count per account). */
  supportRequestsPerIp: { points: 10, durationSeconds: 3_600 },
  /** Requests filed without signing in that give one phone or address as the contact, a day. */
  supportRequestsPerContact: { points: 3, durationSeconds: 86_400 },
  /** A person's own requests and replies in an hour (a signed-in person needs no captcha). */
  supportMessagesPerAccount: { points: 20, durationSeconds: 3_600 },
  /** Answer links (/support/follow/…) opened from one IP in an hour: a reader's, not a guesser's, share. */
  supportFollowsPerIp: { points: 60, durationSeconds: 3_600 },
  /**
   * 注销帐号 started by one account a day: a start and its cancel each send a notice to the phone
   * and the mailbox, so starting and cancelling in a loop must not flood them. Only starts count:
   * a cancel is never refused (that would deregister someone who wants to stay).
   */
  selfDeregistrationStarts: { points: 3, durationSeconds: 86_400 },
  /**
   * Help searches and assistant questions in ten minutes, per account when signed in, else per IP
   * (a school's computer room shares one): enough to read around, not to scrape the account-aware
   * answers or keep the search busy.
   */
  helpQuestions: { points: 300, durationSeconds: 600 },
  /** 下载个人信息: copies one account may ask for in 24 hours (each reads the whole account). */
  dataExportsPerAccount: { points: 3, durationSeconds: 86_400 },
  /** Recovery requests (找回用户名, 找回密码) from one IP. */
  recoveryPerIp: { points: 20, durationSeconds: 3_600 },
  /** Username reminders for one ID number a day (keyed on the number typed, matched or not). */
  usernameRemindersPerId: { points: 3, durationSeconds: 86_400 },
  /** Wrong name / ID number answers at 找回密码 per account, across requests (then a day's pause). */
  recoveryIdentityFailures: { points: 5, durationSeconds: 86_400, blockSeconds: 86_400 },
  /** 找回密码 by SMS: a live code is sent again at most this often (asking in between sends nothing). */
  resetSmsResendInterval: { points: 1, durationSeconds: 120 },
  /** …and sent again at most this many times a day per phone (the code already there still works). */
  resetSmsResendsDaily: { points: 5, durationSeconds: 86_400 },
  /**
   * Wrong 找回密码 codes per account (or stand-in) in a code's life and in a day, across all its
   * requests: the requests within a code's life share one code, so each request's own five tries
   * must not add up. The owner's known network is not held to these (password-recovery.ts).
   */
  resetCodeGuessesPerSubject: { points: 10, durationSeconds: 600 },
  resetCodeGuessesPerSubjectDaily: { points: 30, durationSeconds: 86_400 },
  /** New reset codes asked for one phone from one IP a day: a stranger spends only their own. */
  resetSmsPerPhoneIp: { points: 3, durationSeconds: 86_400 },
  /** Contact-change codes one account may ask for a day. */
  contactCodesPerAccount: { points: 10, durationSeconds: 86_400 },
  /** Wrong current passwords typed in one signed-in account (a stolen session guessing it). */
  passwordConfirmFailures: { points: 5, durationSeconds: 900, blockSeconds: 900 },
  /**
   * CAS service tickets one sign-in session may be issued an hour: each validated one is a
   * LogoutRequest when the session ends, so this bounds what one person can queue for platforms.
   */
  casTicketsPerSession: { points: 120, durationSeconds: 3_600 },
  /** App-verification QR codes one claimant may open a day. */
  livenessSessionsPerAccount: { points: 20, durationSeconds: 86_400 },
  /** Classmate-assistance requests one person may send a day. */
  classmateRequestsPerAccount: { points: 5, durationSeconds: 86_400 },
  /** 这不是我本人操作 forms sent from one IP a day (each also needs its notice's single-use link). */
  disputesPerIp: { points: 10, durationSeconds: 86_400 },
  /** Wrong staff sign-ins from one IP, and for one staff username from one IP (then a pause). */
  staffSignInFailuresPerIp: { points: 20, durationSeconds: 3_600, blockSeconds: 3_600 },
  staffSignInFailuresPerUser: { points: 10, durationSeconds: 900, blockSeconds: 900 },
  /** Wrong current passwords typed by a signed-in staff member changing theirs. */
  staffPasswordChangeFailures: { points: 5, durationSeconds: 900, blockSeconds: 900 },
  /** TOTP or recovery codes tried by one staff member (right ones given back): five wrong, then a pause. */
  staffSecondFactorFailures: { points: 5, durationSeconds: 900, blockSeconds: 900 },
  /**
   * WeChat / Alipay sign-ins started, and provider callbacks, from one IP: each makes a flow row or
   * a call to the provider. Generous, for a school's computer room behind one address; a code
   * cannot be guessed here anyway (it is the provider's, and needs this browser's flow cookie).
   */
  socialSignInStartsPerIp: { points: 300, durationSeconds: 3_600 },
  socialCallbacksPerIp: { points: 300, durationSeconds: 3_600 },
  /** Bindings one account may start or confirm a day. */
  socialBindsPerAccount: { points: 10, durationSeconds: 86_400 },
  /** Wrong second-factor codes (authenticator or recovery code) on one pending sign-in: then sign in again. */
  secondFactorGuessesPerSignIn: { points: 5, durationSeconds: 600 },
  /** …and for one account across its pending sign-ins and its settings page, then a 15-minute pause. */
  secondFactorGuessesPerAccount: { points: 10, durationSeconds: 900, blockSeconds: 900 },
  /**
   * Wrong second-factor codes in a row for one account, whatever the pauses between them (NIST
   * 800-63B 5.2.2: at most 100): cleared by a right code, else the codes stop for 30 days and the
   * way in is a passkey or removal through recovery, with its waiting period and notices.
   */
  secondFactorFailuresInARow: { points: 100, durationSeconds: 30 * 86_400, blockSeconds: 30 * 86_400 },
  /** Second-factor changes (on, off, new recovery codes) one account may make a day: each tells its contacts. */
  secondFactorChangesPerAccount: { points: 10, durationSeconds: 86_400 },
  /**
   * Passkey challenges one IP may ask for an hour (each sign-in page with autofill asks for one):
   * bounds the rows a stranger can make; a school's shared address still signs its people in.
   */
  passkeyChallengesPerIp: { points: 600, durationSeconds: 3_600 },
  /** Passkey answers from one IP that did not verify (unknown, removed, wrong signature): then a pause. */
  passkeyFailuresPerIp: { points: 30, durationSeconds: 3_600, blockSeconds: 3_600 },
  /** Passkey registrations one account may start a day. */
  passkeyRegistrationsPerAccount: { points: 20, durationSeconds: 86_400 },
} satisfies Record<string, LimitRule>;

export type LimitName = keyof typeof defaultLimitPolicy;
export type LimitPolicy = Record<LimitName, LimitRule>;

export interface RateLimits {
  readonly policy: LimitPolicy;
  /** Spends points; throws RateLimitedError (操作过于频繁) when the limit is reached. */
  consume(name: LimitName, key: string, points?: number): Promise<void>;
  /** Throws RateLimitedError when the key is over its limit or blocked, without spending. */
  assertAllowed(name: LimitName, key: string): Promise<void>;
  /** Counts one event without ever throwing (blocking when the rule says so); returns the count. */
  count(name: LimitName, key: string): Promise<number>;
  /** How many points are spent in the current window (0 when none). */
  spent(name: LimitName, key: string): Promise<number>;
  /** Seconds until the key may act again, 0 when it may now. */
  retryAfter(name: LimitName, key: string): Promise<number>;
  /** Gives one point back (an attempt counted in advance that turned out fine). */
  refund(name: LimitName, key: string): Promise<void>;
  /** Blocks the key for `seconds` (growing sign-in delays). */
  block(name: LimitName, key: string, seconds: number): Promise<void>;
  reset(name: LimitName, key: string): Promise<void>;
  /**
   * Several limits in one round trip (one statement, or one Redis script), in order as if called
   * one by one — `check` as assertAllowed, `consume`, `count` — so the first refusal throws
   * RateLimitedError and the steps after it spend nothing. Returns each step's points in its
   * window after it (0 for a check of an unused key).
   */
  spendMany(steps: LimitStep[]): Promise<number[]>;
  /** Gives one point back on each of `refund` and resets each of `reset`, in one round trip. */
  settleMany(settle: { refund?: LimitKey[]; reset?: LimitKey[] }): Promise<void>;
}

export interface LimitKey {
  name: LimitName;
  key: string;
}
export type LimitStep = LimitKey & { do: 'check' | 'consume' | 'count' };

/**
 * Where counters live. Redis (shared by every node, fast) is backed by the database: while Redis
 * cannot be reached or does not answer, every limiter counts in the database's table instead
 * (redis-breaker.ts), so limits keep applying across nodes and no request fails or waits for
 * want of Redis. Counts made during the outage stay in the database; Redis starts afresh once it
 * is back. `breaker` changes the Redis call bound and the cooling period (tests).
 */
export type LimitStore = { kind: 'db'; db: Db } | { kind: 'redis'; redis: Redis; db: Db; breaker?: BreakerTimings };

/** A counter's two homes: Redis when configured, and the database that stands in for it. */
interface Homes {
  redis: RateLimiterAbstract | undefined;
  db: RateLimiterAbstract;
}

export function createRateLimits(store: LimitStore, hashKey: Buffer, policy: LimitPolicy = defaultLimitPolicy): RateLimits {
  const limiters = new Map<LimitName, Homes>();
  for (const [name, rule] of Object.entries(policy) as Array<[LimitName, LimitRule]>) {
    const options = { keyPrefix: `tx:${name}`, points: rule.points, duration: rule.durationSeconds, blockDuration: rule.blockSeconds ?? 0 };
    const inDatabase = new RateLimiterPostgres({
      ...options,
      storeClient: kyselyStoreClient(store.db),
      storeType: 'client',
      tableName: 'rate_limits',
      tableCreated: true,
      clearExpiredByTimeout: false,
    });
    limiters.set(name, {
      // Not ready (connecting, reconnecting) is a failure at once, not a wait.
      redis:
        store.kind === 'redis'
          ? new RateLimiterRedis({ ...options, storeClient: store.redis, useRedisPackage: false, rejectIfRedisNotReady: true })
          : undefined,
      db: inDatabase,
    });
  }
  const breaker = store.kind === 'redis' ? createRedisBreaker((error) => error instanceof RateLimiterRes, store.breaker) : undefined;
  /** Runs `op` on the limiter's current home: Redis unless it is failing, else the database. */
  const on = <T>(name: LimitName, op: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> => {
    const homes = limiters.get(name)!;
    if (!breaker || !homes.redis) return op(homes.db);
    const redis = homes.redis;
    return breaker.run(
      () => op(redis),
      () => op(homes.db),
    );
  };
  // A keyed hash keeps identifiers out of the store and bounds key length.
  const k = (key: string) => hmacSha256(hashKey, key).subarray(0, 18).toString('base64url');
  // The request's ledger (limit-ledger.ts) names a counter by its limit and hashed key, and gives
  // points back where they were spent.
  const slot = (name: LimitName, hashed: string) => `${name}\0${hashed}`;
  const spentOn = (limiter: RateLimiterAbstract, name: LimitName, hashed: string, points: number) =>
    noteSpent(slot(name, hashed), () => limiter.reward(hashed, points));

  /** A step as both stores keep it: the store's own key (prefix, hashed key) and the rule. */
  const planned = (step: LimitKey, kind: RedisStep['kind']) => {
    const rule = policy[step.name];
    const hashed = k(step.key);
    return {
      name: step.name,
      hashed,
      step: { kind, key: `tx:${step.name}:${hashed}`, points: rule.points, durationMs: rule.durationSeconds * 1000, blockMs: (rule.blockSeconds ?? 0) * 1000 },
    };
  };
  /** The steps on Redis unless it is failing, else in the database; and which one served. */
  const inBatch = async <T>(onRedis: (redis: Redis) => Promise<T>, onDatabase: () => Promise<T>): Promise<{ result: T; home: keyof Homes }> => {
    type Served = { result: T; home: keyof Homes };
    const inDatabase = async (): Promise<Served> => ({ result: await onDatabase(), home: 'db' });
    if (store.kind !== 'redis' || !breaker) return inDatabase();
    const redis = store.redis;
    return breaker.run(async (): Promise<Served> => {
      // As rejectIfRedisNotReady does for the single calls.
      if (redis.status !== 'ready') throw new Error('Redis connection is not ready');
      return { result: await onRedis(redis), home: 'redis' };
    }, inDatabase);
  };
  /** One statement or script may touch a counter once (PostgreSQL refuses a second update of a row). */
  const distinct = (keys: string[]) => {
    if (new Set(keys).size !== keys.length) throw new Error('a batch of limits names one counter twice');
  };

  return {
    policy,
    async consume(name, key, points = 1) {
      const hashed = k(key);
      try {
        await on(name, async (limiter) => {
          await limiter.consume(hashed, points);
          spentOn(limiter, name, hashed, points);
        });
      } catch (error) {
        if (error instanceof RateLimiterRes) throw new RateLimitedError(error.msBeforeNext / 1000);
        throw error;
      }
    },
    async assertAllowed(name, key) {
      const wait = await this.retryAfter(name, key);
      if (wait > 0) throw new RateLimitedError(wait);
    },
    async count(name, key) {
      const hashed = k(key);
      return on(name, async (limiter) => {
        try {
          const res = await limiter.consume(hashed, 1);
          spentOn(limiter, name, hashed, 1);
          return res.consumedPoints;
        } catch (error) {
          if (!(error instanceof RateLimiterRes)) throw error;
          spentOn(limiter, name, hashed, 1);
          return error.consumedPoints;
        }
      });
    },
    async spent(name, key) {
      const res = await on(name, (limiter) => limiter.get(k(key)));
      return res?.consumedPoints ?? 0;
    },
    async retryAfter(name, key) {
      const res = await on(name, (limiter) => limiter.get(k(key)));
      if (!res || res.consumedPoints <= policy[name].points) return 0;
      return Math.ceil(res.msBeforeNext / 1000);
    },
    async refund(name, key) {
      const hashed = k(key);
      await on(name, (limiter) => limiter.reward(hashed, 1));
      noteRefunded(slot(name, hashed));
    },
    async block(name, key, seconds) {
      const hashed = k(key);
      await on(name, (limiter) => limiter.block(hashed, seconds));
      noteCleared(slot(name, hashed));
    },
    async reset(name, key) {
      const hashed = k(key);
      await on(name, (limiter) => limiter.delete(hashed));
      noteCleared(slot(name, hashed));
    },
    async spendMany(steps) {
      const plan = steps.map((s) => planned(s, s.do));
      distinct(plan.filter((p) => p.step.kind !== 'check').map((p) => p.step.key));
      const counters = plan.map((p) => p.step as CounterStep);
      const { result: ran, home } = await inBatch(
        (redis) => runRedisSteps(redis, counters),
        async () => {
          const rows = await spendCounters(store.db, counters, Date.now());
          const now = Date.now();
          return plan.map((_, i) => {
            const row = rows.find((r) => r.step === i);
            return row && { points: row.points, ms: row.expire === null ? -1 : Math.max(row.expire - now, 0) };
          });
        },
      );
      // Walked in order, the steps after a refusal are never reached (they did not run).
      return plan.map((p, i) => {
        const points = ran[i]?.points ?? 0;
        const ms = ran[i]?.ms ?? 0;
        const over = points > policy[p.name].points;
        if (p.step.kind === 'check') {
          if (over) throw new RateLimitedError(Math.ceil(ms / 1000));
          return points;
        }
        if (p.step.kind === 'consume' && over) throw new RateLimitedError(ms / 1000);
        const limiter = limiters.get(p.name)![home]!;
        spentOn(limiter, p.name, p.hashed, 1);
        return points;
      });
    },
    async settleMany({ refund = [], reset = [] }) {
      const refunds = refund.map((r) => planned(r, 'refund'));
      const resets = reset.map((r) => planned(r, 'reset'));
      distinct([...refunds, ...resets].map((p) => p.step.key));
      if (!refunds.length && !resets.length) return;
      await inBatch<unknown>(
        (redis) =>
          runRedisSteps(
            redis,
            [...refunds, ...resets].map((p) => p.step),
          ),
        () =>
          settleCounters(
            store.db,
            refunds.map((p) => ({ key: p.step.key, durationMs: p.step.durationMs })),
            resets.map((p) => p.step.key),
            Date.now(),
          ),
      );
      for (const p of refunds) noteRefunded(slot(p.name, p.hashed));
      for (const p of resets) noteCleared(slot(p.name, p.hashed));
    },
  };
}

/** The `query({text, values})` client the PostgreSQL store expects, run through Kysely. */
function kyselyStoreClient(db: Db) {
  return {
    async query(q: { text: string; values?: unknown[] }) {
      const result = await db.executeQuery(CompiledQuery.raw(q.text, q.values ?? []));
      const rows = result.rows as Array<Record<string, unknown>>;
      // bigint columns arrive as strings from pg; the store does arithmetic on `expire`.
      for (const row of rows) if (typeof row.expire === 'string') row.expire = Number(row.expire);
      // SELECTs report no affected rows on PGlite, so count what came back first.
      return { rows, rowCount: rows.length || Number(result.numAffectedRows ?? 0) };
    },
  };
}

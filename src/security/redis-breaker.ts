// A small circuit breaker in front of the Redis limiters. Redis away answers at once (no offline
// queue), but a frozen one (connections accepted, nothing answered: a hung server, a partition)
// makes each command wait out its timeout, and a sign-in asks several limiters in turn: seconds
// per request, on every request. So a Redis call is given a short bound, and once one fails or
// runs over, every limiter goes straight to the database for a cooling period; then one call
// tries Redis again (the others keep to the database until it has answered).
export interface BreakerTimings {
  /** How long one Redis call may take before the database answers instead (loopback: < 1 ms). */
  waitMs: number;
  /** How long the limiters stay on the database after Redis failed, before trying it again. */
  coolMs: number;
}

export const REDIS_BREAKER_TIMINGS: BreakerTimings = { waitMs: 500, coolMs: 5_000 };

export interface RedisBreaker {
  /**
   * `onRedis`, unless Redis is cooling off or fails or runs over: then `onDatabase`. An error
   * the breaker's `isAnswer` accepts (a refusal: Redis did answer) passes through as it is.
   */
  run<T>(onRedis: () => Promise<T>, onDatabase: () => Promise<T>): Promise<T>;
}

class RedisTimeout extends Error {}

export function createRedisBreaker(isAnswer: (error: unknown) => boolean, timings: BreakerTimings = REDIS_BREAKER_TIMINGS): RedisBreaker {
  let openUntil = 0;
  let probing = false;
  return {
    async run(onRedis, onDatabase) {
      if (Date.now() < openUntil || probing) return onDatabase();
      const probe = openUntil > 0;
      if (probe) probing = true;
      try {
        const result = await bounded(onRedis(), timings.waitMs);
        openUntil = 0;
        return result;
      } catch (error) {
        if (isAnswer(error)) {
          openUntil = 0;
          throw error;
        }
        // A call that ran over may still land in Redis later: that count is then made twice,
        // which errs on the side of the limit.
        openUntil = Date.now() + timings.coolMs;
        return onDatabase();
      } finally {
        if (probe) probing = false;
      }
    },
  };
}

async function bounded<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new RedisTimeout(`Redis did not answer within ${ms} ms`)), ms)));
  // What the abandoned call does later is of no interest (no unhandled rejection either).
  work.catch(() => {});
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

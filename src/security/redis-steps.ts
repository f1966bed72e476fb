// The batched limiter steps (queries.ts spendCounters, settleCounters) on Redis: one script, one
// round trip, with the same counters rate-limiter-flexible's Redis store keeps (an integer under
// `tx:<limit>:<hashed key>` with a TTL), stopping at the first refusal as the SQL does. The
// increment is the store's own script; the block is folded in as in the SQL.
import type { Redis } from 'ioredis';
import type { CounterStep } from './queries.ts';

const STEPS_SCRIPT = `
local out = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local kind = ARGV[i * 4 - 3]
  local limit = tonumber(ARGV[i * 4 - 2])
  local duration = tonumber(ARGV[i * 4 - 1])
  local block = tonumber(ARGV[i * 4])
  if kind == 'check' then
    local points = tonumber(redis.call('get', key) or '0')
    out[i] = {points, redis.call('pttl', key)}
    if points > limit then return out end
  elseif kind == 'reset' then
    redis.call('del', key)
    out[i] = {0, -2}
  else
    local change = 1
    if kind == 'refund' then change = -1 end
    redis.call('set', key, 0, 'EX', duration, 'NX')
    local points = redis.call('incrby', key, change)
    local ttl = redis.call('pttl', key)
    if ttl == -1 then
      redis.call('expire', key, duration)
      ttl = 1000 * duration
    end
    if change > 0 and block > 0 and points > limit and points <= limit + change then
      redis.call('set', key, points, 'EX', block)
      ttl = 1000 * block
    end
    out[i] = {points, ttl}
    if kind == 'consume' and points > limit then return out end
  end
end
return out
`;

export type RedisStep = Omit<CounterStep, 'kind'> & { kind: CounterStep['kind'] | 'refund' | 'reset' };

/** Each step that ran: its points after the step and the milliseconds its counter has left. */
export async function runRedisSteps(redis: Redis, steps: RedisStep[]): Promise<Array<{ points: number; ms: number }>> {
  const args = steps.flatMap((s) => [s.kind, String(s.points), String(Math.floor(s.durationMs / 1000)), String(Math.floor(s.blockMs / 1000))]);
  const command = redis as Redis & { txLimitSteps?: (numberOfKeys: number, ...args: string[]) => Promise<Array<[number, number]>> };
  // EVALSHA with the script loaded on first use (ioredis falls back to EVAL once).
  if (!command.txLimitSteps) redis.defineCommand('txLimitSteps', { lua: STEPS_SCRIPT });
  const result = await command.txLimitSteps!(steps.length, ...steps.map((s) => s.key), ...args);
  return result.map(([points, ms]) => ({ points: Number(points), ms: Number(ms) }));
}

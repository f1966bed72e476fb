// Where the CPU went during a scenario, from /proc: the service process (all its threads, so
// argon2's too), the PostgreSQL backends serving the bench database, this process (the load
// generator), and everything else on the machine. On a 2-core machine the service, PostgreSQL
// and the generator share the same cores, so "CPU per request" explains a throughput figure
// better than the figure alone, and "others" says when a run was disturbed.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of one process (all threads), in seconds; 0 when it is gone. */
function processSeconds(pid: number | string): number {
  return statSeconds(`/proc/${pid}/stat`);
}

/** The same for the main thread alone (the event loop: JavaScript, and PGlite's WASM). */
function mainThreadSeconds(pid: number): number {
  return statSeconds(`/proc/${pid}/task/${pid}/stat`);
}

function statSeconds(file: string): number {
  try {
    const stat = readFileSync(file, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** PostgreSQL backends connected to `database` (their title reads "postgres: user db host …"). */
function postgresBackendsSeconds(database: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.startsWith('postgres:') && cmdline.includes(` ${database} `)) out.set(pid, processSeconds(pid));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Busy seconds of the whole machine (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [, user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  void idle;
  void iowait;
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND;
}

export interface CpuSplit {
  /** CPU seconds per wall second (1.0 = one core busy) */
  serviceCores: number;
  postgresCores: number;
  generatorCores: number;
  otherCores: number;
  /** CPU milliseconds per successful request */
  serviceMsPerRequest: number;
  /** of which on the main thread (the rest: argon2 and libuv pool threads, GC helpers) */
  serviceMainThreadMsPerRequest: number;
  postgresMsPerRequest: number;
  generatorMsPerRequest: number;
  /** cores × 1000 / (service + PostgreSQL + generator ms per request): the rate this machine
   * would reach with nothing else running, if CPU is what bounds it. */
  aloneRps: number;
}

export function cpuMeter(servicePid: number, database: string | undefined, cores: number) {
  const t0 = performance.now();
  const service0 = processSeconds(servicePid);
  const main0 = mainThreadSeconds(servicePid);
  const generator0 = processSeconds(process.pid);
  const machine0 = machineBusySeconds();
  const pg0 = database ? postgresBackendsSeconds(database) : new Map<string, number>();
  return {
    finish(requests: number): CpuSplit {
      const wall = (performance.now() - t0) / 1000;
      const service = processSeconds(servicePid) - service0;
      const main = mainThreadSeconds(servicePid) - main0;
      const generator = processSeconds(process.pid) - generator0;
      const machine = machineBusySeconds() - machine0;
      let postgres = 0;
      if (database) for (const [pid, seconds] of postgresBackendsSeconds(database)) postgres += seconds - (pg0.get(pid) ?? 0);
      const per = (seconds: number) => (requests > 0 ? (seconds * 1000) / requests : NaN);
      const msPerRequest = per(service + postgres + generator);
      return {
        serviceCores: service / wall,
        postgresCores: postgres / wall,
        generatorCores: generator / wall,
        otherCores: Math.max(0, machine - service - generator - postgres) / wall,
        serviceMsPerRequest: per(service),
        serviceMainThreadMsPerRequest: per(main),
        postgresMsPerRequest: per(postgres),
        generatorMsPerRequest: per(generator),
        aloneRps: (cores * 1000) / msPerRequest,
      };
    },
  };
}

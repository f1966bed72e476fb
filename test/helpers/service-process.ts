// `tongxing <args>` in a real child process, as an operator runs it (development mode, port 0, a
// cheap argon2): its URL once it listens, everything it printed, and its exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const root = new URL('../../', import.meta.url).pathname;

export interface Running {
  child: ChildProcess;
  url: Promise<string>;
  output: () => string;
  exit: Promise<number | null>;
}

export function runTongxing(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['bin/tongxing.js', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', ARGON2_MEMORY_KIB: '4096', ARGON2_ITERATIONS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.on('exit', () => reject(new Error(`exited before listening:\n${out}`)));
  });
  url.catch(() => {});
  const exit = once(child, 'exit').then(([code]) => code as number | null);
  return { child, url, output: () => out, exit };
}

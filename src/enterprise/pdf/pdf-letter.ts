// Reads a PDF letter in a worker thread of its own (letter-worker.ts) and hands back its page
// images, or why it was refused. The worker has a wall-clock limit and a heap limit, one runs at a
// time (the rest of the machine stays with the server) and only a few wait their turn — past
// them an upload is answered 操作过于频繁 at once: a PDF built to make the parser or the renderer
// loop or grow is ended and refused as unrenderable, and a burst of them cannot hold the server.
import { Worker } from 'node:worker_threads';
import { PdfRefused } from './refusal.ts';
import { RateLimitedError } from '../../lib/errors.ts';
import type { WorkerAnswer } from './letter-worker.ts';

const WORKER = new URL('./letter-worker.ts', import.meta.url);
/** Ten ordinary pages take about two seconds on one core; past this the worker is ended. */
export const RENDER_TIMEOUT_MS = 10_000;
const HEAP_MB = 256;
const MAX_PARALLEL = 1;
/** Letters waiting for the worker; one more is refused rather than queued without end. */
const MAX_WAITING = 4;

let running = 0;
const waiting: Array<() => void> = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) {
    if (waiting.length >= MAX_WAITING) throw new RateLimitedError(RENDER_TIMEOUT_MS / 1000);
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** The letter's pages as PNG images; throws PdfRefused when it is not a plain PDF of ≤ 10 pages. */
export function readPdfLetter(pdf: Buffer, timeoutMs = RENDER_TIMEOUT_MS): Promise<Buffer[]> {
  return inTurn(() => runWorker(pdf, timeoutMs));
}

function runWorker(pdf: Buffer, timeoutMs: number): Promise<Buffer[]> {
  const copy = new Uint8Array(pdf).buffer;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      workerData: copy,
      transferList: [copy],
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    const timer = setTimeout(() => settle(() => reject(new PdfRefused('unrenderable', `not read within ${timeoutMs} ms`))), timeoutMs);
    worker.once('message', (answer: WorkerAnswer) =>
      settle(() =>
        answer.ok
          ? resolve(answer.pages.map((page) => Buffer.from(page.buffer, page.byteOffset, page.byteLength)))
          : reject(new PdfRefused(answer.reason, answer.detail)),
      ),
    );
    worker.once('error', (error) => settle(() => reject(new PdfRefused('unrenderable', `worker failed: ${error.message}`))));
    worker.once('exit', (code) => settle(() => reject(new PdfRefused('unrenderable', `worker exited with ${code}`))));
  });
}

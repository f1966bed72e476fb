// Reads a PDF letter in a worker thread of its own (letter-worker.ts) and hands back its page
// images, or why it was refused. The worker has a wall-clock limit and a heap limit, and at most
// two run at once (the machine has two cores; a burst of uploads waits its turn rather than
// starving the server): a PDF built to make the parser or the renderer loop or grow is ended and
// refused as unrenderable, and the request that sent it still gets an answer.
import { Worker } from 'node:worker_threads';
import { PdfRefused } from './refusal.ts';
import type { WorkerAnswer } from './letter-worker.ts';

const WORKER = new URL('./letter-worker.ts', import.meta.url);
/** Ten ordinary pages take about two seconds on one core; past this the worker is ended. */
export const RENDER_TIMEOUT_MS = 20_000;
const HEAP_MB = 256;
const MAX_PARALLEL = 2;

let running = 0;
const waiting: Array<() => void> = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
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

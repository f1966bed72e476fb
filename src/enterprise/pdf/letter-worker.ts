// The worker thread that reads one PDF letter: the structural check (inspect-pdf.ts), then the
// page images (render-pages.ts). A thread of its own, started for each letter and ended after it,
// so a hostile PDF can cost it time or memory but never the server's event loop (pdf-letter.ts
// ends it at its time and memory limits), and nothing of one letter stays for the next.
import { parentPort, workerData } from 'node:worker_threads';
import { inspectPdf } from './inspect-pdf.ts';
import { renderPdfPages } from './render-pages.ts';
import { PdfRefused } from './refusal.ts';

export type WorkerAnswer = { ok: true; pages: Uint8Array[] } | { ok: false; reason: PdfRefused['reason']; detail: string };

async function read(bytes: Uint8Array): Promise<WorkerAnswer> {
  try {
    await inspectPdf(bytes);
    return { ok: true, pages: await renderPdfPages(bytes) };
  } catch (error) {
    if (error instanceof PdfRefused) return { ok: false, reason: error.reason, detail: error.detail };
    return { ok: false, reason: 'unrenderable', detail: String(error) };
  }
}

const answer = await read(new Uint8Array(workerData as ArrayBuffer));
parentPort!.postMessage(answer, answer.ok ? answer.pages.map((page) => page.buffer as ArrayBuffer) : []);

// A checked PDF letter drawn as PNG page images, with pdf.js (Mozilla's reader) on an
// @napi-rs/canvas. Runs only inside the letter worker (letter-worker.ts), which the server ends
// when it takes too long or too much memory. pdf.js is a second reader here: it follows the
// cross-reference table, as readers do, while pdf-lib read the file front to back, so a document
// built to look different to the two is still refused if pdf.js finds scripts, attachments or
// actions in it. Nothing leaves the machine: fonts, character maps and decoders are read from
// pdfjs-dist's own folder, system fonts are not used, XFA is off, and pdf.js (v6) has no eval.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { AnnotationType, getDocument, VerbosityLevel, type PDFDocumentProxy, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { MAX_LETTER_PAGES, PdfRefused } from './refusal.ts';

/** The longer side of a page image: enough to read a stamp, at most twice the page's size in points. */
const MAX_SIDE_PX = 1600;
const MAX_SCALE = 2;
/** Images inside the PDF are decoded up to this many pixels each (a 4000 × 4000 scan). */
const MAX_IMAGE_PIXELS = 16_000_000;

const assets = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), '/');

export async function renderPdfPages(bytes: Uint8Array): Promise<Uint8Array[]> {
  const task = getDocument({
    data: bytes.slice(), // pdf.js may take over the buffer it is given
    verbosity: VerbosityLevel.ERRORS,
    standardFontDataUrl: join(assets, 'standard_fonts/'),
    cMapUrl: join(assets, 'cmaps/'),
    cMapPacked: true,
    wasmUrl: join(assets, 'wasm/'),
    iccUrl: join(assets, 'iccs/'),
    useSystemFonts: false,
    disableFontFace: true,
    enableXfa: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    maxImageSize: MAX_IMAGE_PIXELS,
    disableRange: true,
    disableStream: true,
    disableAutoFetch: true,
    enableHWA: false,
  });
  let document: PDFDocumentProxy;
  try {
    document = await task.promise;
  } catch (error) {
    await task.destroy();
    throw new PdfRefused('broken', `pdf.js cannot open it: ${String(error)}`);
  }
  try {
    if (document.numPages < 1) throw new PdfRefused('broken', 'no pages');
    if (document.numPages > MAX_LETTER_PAGES) throw new PdfRefused('too_many_pages', `${document.numPages} pages`);
    await refuseWhatReadersWouldRun(document);
    const pages: Uint8Array[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      await refuseActivePage(page);
      pages.push(await drawPage(page));
      page.cleanup();
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

async function refuseWhatReadersWouldRun(document: PDFDocumentProxy): Promise<void> {
  if (await document.getJSActions()) throw new PdfRefused('active', 'pdf.js: document scripts');
  if (await document.getAttachments()) throw new PdfRefused('active', 'pdf.js: attachments');
  const open = (await document.getOpenAction()) as { action?: unknown } | null;
  if (open?.action) throw new PdfRefused('active', 'pdf.js: an open action');
  const { info } = (await document.getMetadata()) as { info: { IsXFAPresent?: boolean; EncryptFilterName?: string | null } };
  if (info.IsXFAPresent) throw new PdfRefused('active', 'pdf.js: XFA');
  // pdf-lib can miss a trailer (one right after the header loses its first byte there): ask again.
  if (info.EncryptFilterName) throw new PdfRefused('active', 'pdf.js: encrypted');
}

async function refuseActivePage(page: PDFPageProxy): Promise<void> {
  if (await page.getJSActions()) throw new PdfRefused('active', `pdf.js: scripts on page ${page.pageNumber}`);
  for (const annotation of (await page.getAnnotations()) as Array<Record<string, unknown>>) {
    const active =
      annotation.annotationType === AnnotationType.FILEATTACHMENT ||
      annotation.actions ||
      annotation.attachment ||
      annotation.action ||
      annotation.resetForm ||
      annotation.setOCGState;
    if (active) throw new PdfRefused('active', `pdf.js: an active annotation on page ${page.pageNumber}`);
  }
}

async function drawPage(page: PDFPageProxy): Promise<Uint8Array> {
  const natural = page.getViewport({ scale: 1 });
  const scale = Math.min(MAX_SCALE, MAX_SIDE_PX / Math.max(natural.width, natural.height, 1));
  const viewport = page.getViewport({ scale });
  const canvas = createCanvas(Math.max(1, Math.ceil(viewport.width)), Math.max(1, Math.ceil(viewport.height)));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  try {
    // @napi-rs/canvas stands in for the DOM canvas pdf.js's types name.
    await page.render({ canvas, canvasContext: context, viewport } as unknown as Parameters<PDFPageProxy['render']>[0]).promise;
  } catch (error) {
    throw new PdfRefused('unrenderable', `page ${page.pageNumber}: ${String(error)}`);
  }
  // A copy of its own, so the worker can hand the bytes over without copying them again.
  return new Uint8Array(await canvas.encode('png'));
}

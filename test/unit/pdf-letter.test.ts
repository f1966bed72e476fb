// PDF letters are read by real parsers: ordinary files from a PDF library are accepted (and drawn
// as page images), active content is refused wherever it is packed, and broken files, bombs and
// slow files are refused with a reason instead of failing the request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { PDFName, PDFString, type PDFRef } from 'pdf-lib';
import { checkLetter, LetterRejected } from '../../src/enterprise/letter.ts';
import { readPdfLetter } from '../../src/enterprise/pdf/pdf-letter.ts';
import { PdfRefused } from '../../src/enterprise/pdf/refusal.ts';
import { RateLimitedError } from '../../src/lib/errors.ts';
import {
  addLink,
  ascii85,
  asciiHex,
  bombStream,
  catalogInObjectStream,
  darkPixelShare,
  encryptedLetter,
  javaScriptAction,
  letterWith,
  ordinaryLetter,
  withIncrementalUpdate,
} from '../helpers/pdfs.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function accepted(pdf: Buffer, label: string) {
  const letter = await checkLetter(pdf).catch((error: unknown) => assert.fail(`${label}: refused (${String(error)})`));
  assert.equal(letter.mediaType, 'application/pdf', label);
  assert.deepEqual(letter.data, pdf, `${label}: the PDF is kept as sent`);
  return letter;
}

async function refusal(pdf: Buffer): Promise<string> {
  try {
    await checkLetter(pdf);
  } catch (error) {
    assert.ok(error instanceof LetterRejected, `not a LetterRejected: ${String(error)}`);
    return error.code;
  }
  return 'accepted';
}

test('an ordinary one-page letter is accepted and drawn as a page image with its black text and box', async () => {
  for (const useObjectStreams of [true, false]) {
    const pdf = await ordinaryLetter({ useObjectStreams });
    assert.match(pdf.toString('latin1'), /endstream\n/, 'pdf-lib ends streams with a newline, as most writers do');
    const letter = await accepted(pdf, `useObjectStreams: ${useObjectStreams}`);
    assert.equal(letter.pages.length, 1);
    assert.deepEqual(letter.pages[0]!.subarray(0, 8), PNG_SIGNATURE);
    const dark = await darkPixelShare(letter.pages[0]!);
    assert.ok(dark > 0.02 && dark < 0.5, `dark share ${dark}`);
  }
});

test('object streams under any standard filter and incremental updates are read and accepted', async () => {
  await accepted(await catalogInObjectStream('FlateDecode', (b) => deflateSync(b)), 'Flate object stream');
  await accepted(await catalogInObjectStream('ASCIIHexDecode', asciiHex), 'ASCIIHex object stream');
  await accepted(await catalogInObjectStream('ASCII85Decode', ascii85), 'ASCII85 object stream');
  const base = await ordinaryLetter({ useObjectStreams: false });
  const updated = await withIncrementalUpdate(base, (doc) => {
    doc.setTitle('申请函（已签章）');
    const info = doc.context.trailerInfo.Info as PDFRef;
    return [[info, doc.context.lookup(info)!]];
  });
  await accepted(updated, 'an incremental update');
});

test('going to a page on opening and links to web addresses are not active content', async () => {
  await accepted(await letterWith((doc) => doc.catalog.set(PDFName.of('OpenAction'), doc.context.obj([doc.getPage(0).ref, 'Fit']))), 'open at page 1');
  await accepted(await letterWith((doc) => addLink(doc, doc.context.obj({ S: 'URI', URI: PDFString.of('https://company.example/') }))), 'a web link');
});

test('a script run on opening is refused at the catalog and inside object streams under every filter', async () => {
  const openScript = (doc: Parameters<Parameters<typeof letterWith>[0]>[0]) => doc.catalog.set(PDFName.of('OpenAction'), javaScriptAction(doc));
  assert.equal(await refusal(await letterWith(openScript)), 'enterprise.letter_active');
  assert.equal(await refusal(await letterWith(openScript, false)), 'enterprise.letter_active');
  assert.equal(await refusal(await catalogInObjectStream('ASCIIHexDecode', asciiHex, openScript)), 'enterprise.letter_active');
  assert.equal(await refusal(await catalogInObjectStream('ASCII85Decode', ascii85, openScript)), 'enterprise.letter_active');
  assert.equal(await refusal(await catalogInObjectStream('FlateDecode', (b) => deflateSync(b), openScript)), 'enterprise.letter_active');
});

test('launch actions, attachments, page actions and encryption are refused', async () => {
  const launch = await letterWith((doc) => addLink(doc, doc.context.obj({ S: 'Launch', F: PDFString.of('calc.exe') })), false);
  assert.equal(await refusal(launch), 'enterprise.letter_active', '/Launch');
  // The same name spelt with a lower-case hex escape, which readers decode too.
  const escaped = Buffer.from(launch.toString('latin1').replace('/Launch', '/#4caunch'), 'latin1');
  assert.notEqual(escaped.indexOf('/#4caunch'), -1);
  assert.equal(await refusal(escaped), 'enterprise.letter_active', '/#4caunch');
  const attached = await letterWith((doc) => doc.attach(Buffer.from('<invoice/>'), 'invoice.xml', { mimeType: 'application/xml' }));
  assert.equal(await refusal(attached), 'enterprise.letter_active', 'an embedded file');
  const pageAction = await letterWith((doc) => doc.getPage(0).node.set(PDFName.of('AA'), doc.context.obj({ O: javaScriptAction(doc) })));
  assert.equal(await refusal(pageAction), 'enterprise.letter_active', '/AA on a page');
  assert.equal(await refusal(await encryptedLetter()), 'enterprise.letter_active', 'encrypted');
});

test('an update cannot hide a script: every version of every object is read', async () => {
  const base = await letterWith((doc) => doc.catalog.set(PDFName.of('OpenAction'), javaScriptAction(doc)), false);
  const cleaned = await withIncrementalUpdate(base, (doc) => {
    doc.catalog.delete(PDFName.of('OpenAction'));
    return [[doc.context.trailerInfo.Root as PDFRef, doc.catalog]];
  });
  assert.equal(await refusal(cleaned), 'enterprise.letter_active', 'the older catalog still runs the script for a reader of the older table');
  const added = await withIncrementalUpdate(await ordinaryLetter({ useObjectStreams: false }), (doc) => {
    doc.catalog.set(PDFName.of('OpenAction'), javaScriptAction(doc));
    return [[doc.context.trailerInfo.Root as PDFRef, doc.catalog]];
  });
  assert.equal(await refusal(added), 'enterprise.letter_active', 'a script added by an update');
});

test('compression bombs, unknown filters and malformed files are refused as broken', async () => {
  const bomb = await letterWith((doc) => doc.getPage(0).node.set(PDFName.of('Contents'), bombStream(doc, 48 * 1024 * 1024)));
  assert.ok(bomb.length < 200_000, `the bomb is small: ${bomb.length}`);
  assert.equal(await refusal(bomb), 'enterprise.letter_broken', 'a content stream that inflates past the budget');
  const packedBomb = await catalogInObjectStream('FlateDecode', (b) => deflateSync(Buffer.concat([b, Buffer.alloc(48 * 1024 * 1024, 0x20)]), { level: 9 }));
  assert.equal(await refusal(packedBomb), 'enterprise.letter_broken', 'an object stream that inflates past the budget');
  const unknown = await letterWith((doc) => {
    doc.getPage(0).node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(Buffer.from('q Q'), { Filter: 'SecretDecode' })));
  });
  assert.equal(await refusal(unknown), 'enterprise.letter_broken', 'an unknown filter');
  assert.equal(await refusal(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ngarbage (( [[\n')), 'enterprise.letter_broken');
  const whole = await ordinaryLetter({ useObjectStreams: false });
  const cut = whole.subarray(0, whole.indexOf('stream\n') + 20);
  assert.equal(await refusal(cut), 'enterprise.letter_broken', 'cut off inside a stream');
});

test('more than ten pages are refused', async () => {
  assert.equal(await refusal(await ordinaryLetter({ pages: 11 })), 'enterprise.letter_too_many_pages');
  assert.equal((await accepted(await ordinaryLetter({ pages: 10 }), 'ten pages')).pages.length, 10);
});

test('a letter that takes too long to read is ended and refused', async () => {
  await assert.rejects(readPdfLetter(await ordinaryLetter(), 1), (error) => error instanceof PdfRefused && error.reason === 'unrenderable');
});

test('letters are read one at a time with a few waiting; one more is told to try again shortly', async () => {
  const letter = await ordinaryLetter();
  const reads = Array.from({ length: 6 }, () =>
    readPdfLetter(letter).then(
      () => 'read',
      (error: unknown) => (error instanceof RateLimitedError ? 'busy' : String(error)),
    ),
  );
  assert.deepEqual(await Promise.all(reads), ['read', 'read', 'read', 'read', 'read', 'busy']);
});

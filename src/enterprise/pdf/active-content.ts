// What makes a PDF more than pages to look at, found in its parsed objects — in every dictionary
// and array, however deep, and in the dictionary of every stream. Refused:
//   - scripts and additional actions (/JS, /JavaScript, /AA), forms that run XFA (/XFA);
//   - attachments (/EmbeddedFiles, /EF, /EmbeddedFile, file-attachment annotations), rich media,
//     sound, movies, renditions, screen and 3D annotations;
//   - actions other than going to a page of the document or following a link: /Launch,
//     /SubmitForm, /ImportData, /GoToR, /GoToE, /Named, /Hide, /ResetForm … An open action may
//     only show a page (LibreOffice and LaTeX write /OpenAction [page /Fit]: refusing every open
//     action would refuse their ordinary letters). /URI links are kept: Word turns every address
//     in a letter into one, staff see only page images, and a link in a picture goes nowhere;
//   - encryption (/Encrypt), which hides everything else from this check.
// Structure elements (/S /P) and attribute objects (/A << /O /Layout >>) of tagged PDFs are not
// actions: an action is a dictionary with /S where an action belongs (/A, /Next, /Type /Action).
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFRawStream, PDFRef, PDFString, type PDFContext, type PDFObject } from 'pdf-lib';
import { PdfRefused } from './refusal.ts';
import { canonicalName } from './names.ts';

const ACTIVE_KEYS = new Set(['JS', 'JavaScript', 'AA', 'XFA', 'EmbeddedFiles', 'EF', 'RichMediaContent', 'RichMediaSettings', 'Encrypt']);
const ACTIVE_NAMES = new Set([
  'JavaScript',
  'Launch',
  'SubmitForm',
  'ImportData',
  'GoToR',
  'GoToE',
  'GoTo3DView',
  'EmbeddedFile',
  'FileAttachment',
  'RichMedia',
  'Sound',
  'Movie',
  'Rendition',
  'Screen',
  '3D',
]);
const LINK_ACTIONS = new Set(['GoTo', 'URI']);
const OPEN_ACTIONS = new Set(['GoTo']);

const S = PDFName.of('S');
const TYPE = PDFName.of('Type');

/** Throws PdfRefused('active') at the first active thing in `objects`. */
export function refuseActiveContent(context: PDFContext, objects: Iterable<PDFObject>): void {
  const seen = new Set<PDFObject>();
  const stack: PDFObject[] = [...objects];
  for (let object = stack.pop(); object !== undefined; object = stack.pop()) {
    if (seen.has(object)) continue;
    seen.add(object);
    const dict = object instanceof PDFRawStream ? object.dict : object;
    if (dict instanceof PDFDict) {
      checkDictionary(context, dict);
      for (const [key, value] of dict.entries()) {
        if (key instanceof PDFName) stack.push(key);
        stack.push(value);
      }
    } else if (dict instanceof PDFArray) {
      stack.push(...dict.asArray());
    } else if (dict instanceof PDFName) {
      const name = canonicalName(dict);
      if (ACTIVE_NAMES.has(name)) throw new PdfRefused('active', `/${name}`);
    }
  }
}

function checkDictionary(context: PDFContext, dict: PDFDict): void {
  for (const [key, value] of dict.entries()) {
    const name = canonicalName(key);
    if (ACTIVE_KEYS.has(name)) throw new PdfRefused('active', `/${name}`);
    if (name === 'OpenAction') checkOpenAction(context, value);
    if (name === 'A' || name === 'Next') checkAction(context, value, LINK_ACTIONS);
  }
  const type = dict.lookup(TYPE);
  if (type instanceof PDFName && canonicalName(type) === 'Action') checkAction(context, dict, LINK_ACTIONS);
}

/** An open action may be a destination (an array, or a named one) or an action going to a page. */
function checkOpenAction(context: PDFContext, value: PDFObject): void {
  const target = value instanceof PDFRef ? context.lookup(value) : value;
  if (target instanceof PDFArray || target instanceof PDFName || target instanceof PDFString || target instanceof PDFHexString) return;
  if (target instanceof PDFDict) return checkAction(context, target, OPEN_ACTIONS);
  throw new PdfRefused('active', 'an /OpenAction that is not a destination');
}

function checkAction(context: PDFContext, value: PDFObject, allowed: ReadonlySet<string>): void {
  const action = value instanceof PDFRef ? context.lookup(value) : value;
  // /Next may list several actions; each is an action dictionary (a nested array is nothing).
  if (action instanceof PDFArray) for (const item of action.asArray()) checkActionDictionary(context, item, allowed);
  else checkActionDictionary(context, action, allowed);
}

function checkActionDictionary(context: PDFContext, value: PDFObject | undefined, allowed: ReadonlySet<string>): void {
  const action = value instanceof PDFRef ? context.lookup(value) : value;
  if (!(action instanceof PDFDict) || !action.has(S)) return;
  const kind = action.lookup(S);
  const name = kind instanceof PDFName ? canonicalName(kind) : '?';
  if (!allowed.has(name)) throw new PdfRefused('active', `a /${name} action`);
}

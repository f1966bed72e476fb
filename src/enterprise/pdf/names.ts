// A PDF name as a reader understands it. pdf-lib decodes #xx escapes only in upper-case hex
// (/J#61vaScript), while readers also take lower case (/#4aavaScript is /JavaScript to them): the
// name pdf-lib kept is decoded once more, whatever the case, so no spelling slips past a check.
import type { PDFName } from 'pdf-lib';

export const canonicalName = (name: PDFName): string =>
  name.decodeText().replace(/#([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

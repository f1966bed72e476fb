// Every XML answer of the CAS server, checked against the CAS 3.0 schema written from the
// specification (docs/cas/cas-protocol-3.0.xsd) by libxml2 (xmllint-wasm).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { validateXML } from 'xmllint-wasm';

const schema = readFile(new URL('../../docs/cas/cas-protocol-3.0.xsd', import.meta.url), 'utf8');

export async function assertCasSchema(xml: string): Promise<void> {
  const result = await validateXML({ xml: [{ fileName: 'answer.xml', contents: xml }], schema: [await schema] });
  assert.ok(result.valid, `the CAS answer does not follow the CAS 3.0 schema:\n${result.rawOutput}\n${xml}`);
}

/** GET of a CAS endpoint; an XML answer is checked against the schema before it is returned. */
export async function casGet(url: string): Promise<string> {
  const response = await fetch(url);
  const text = await response.text();
  if (/xml/.test(response.headers.get('content-type') ?? '')) await assertCasSchema(text);
  return text;
}

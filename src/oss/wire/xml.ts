import { createRequire } from 'node:module';
import type * as FastXmlParser from 'fast-xml-parser';
import { ossErrors } from './errors.js';

/** An element and its content, in document order; undefined children are skipped (optional elements). */
export type XmlChild = readonly [string, XmlValue] | undefined | false;
export type XmlValue = string | number | boolean | readonly XmlChild[];

const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

function renderValue(value: XmlValue, out: string[]): void {
  if (typeof value !== 'object') {
    out.push(escapeXml(String(value)));
    return;
  }
  for (const child of value) {
    if (!child) continue;
    out.push(`<${child[0]}>`);
    renderValue(child[1], out);
    out.push(`</${child[0]}>`);
  }
}

/** Renders `<?xml …?><Root>…</Root>` compactly: no attributes, no namespaces (ali-oss deep-compares parsed bodies). */
export function renderXml(root: string, children: XmlValue): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  renderValue([[root, children]], out);
  return out.join('');
}

/** A parsed element: text, or children by name (repeated names become arrays). */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

/** fast-xml-parser is loaded on the first request body that needs it: it is a sizeable part of startup time. */
let xmlParsing: { parser: FastXmlParser.XMLParser; validate: typeof FastXmlParser.XMLValidator.validate } | undefined;
function loadXmlParsing(): NonNullable<typeof xmlParsing> {
  if (!xmlParsing) {
    const fxp = createRequire(import.meta.url)('fast-xml-parser') as typeof FastXmlParser;
    const parser = new fxp.XMLParser({
      ignoreAttributes: true,
      parseTagValue: false,
      // Text is kept exactly (spaces, CR, TAB, LF): a Description or a key with a trailing space must round-trip.
      trimValues: false,
      // Entities are decoded by decodeEntities below, numeric references included (fast-xml-parser leaves `&#34;` as is).
      processEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
    });
    xmlParsing = { parser, validate: (xml, options) => fxp.XMLValidator.validate(xml, options) };
  }
  return xmlParsing;
}

const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * One pass over `&…;`, so `&amp;#34;` stays the text `&#34;`. The Go SDK escapes `"` `'` CR TAB LF as `&#34; &#39; &#xD;
 * &#x9; &#xA;`; a reference to something that is no Unicode scalar value is not well-formed XML.
 */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (_match, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name]!;
    const code = dec !== undefined ? Number(dec) : parseInt(hex!, 16);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw ossErrors.malformedXml();
    return String.fromCodePoint(code);
  });
}

/** Decodes every text value; drops the whitespace that only indents child elements (it is not content). */
function normalize(node: XmlNode): XmlNode {
  if (typeof node === 'string') return decodeEntities(node);
  const out: { [name: string]: XmlNode | XmlNode[] } = {};
  for (const [name, value] of Object.entries(node)) {
    if (name === '#text' && typeof value === 'string' && value.trim() === '') continue;
    out[name] = Array.isArray(value) ? value.map(normalize) : normalize(value);
  }
  return out;
}

/**
 * Parses a request body; anything not well-formed, or a document without `root`, is MalformedXML. Whitespace before
 * `<?xml` is accepted as OSS accepts it (and a UTF-8 byte order mark).
 */
export function parseXmlBody(body: Buffer, root: string): XmlNode {
  // Line ends are normalized as every XML parser does (XML 1.0 §2.11): a CR survives only as `&#xD;`, as the Go SDK sends it.
  const text = body
    .toString('utf8')
    .replace(/^\uFEFF?[ \t\r\n]*/, '')
    .replace(/\r\n?/g, '\n');
  // No DTDs: OSS bodies never need one, and entity expansion is a denial-of-service vector.
  const { parser, validate } = loadXmlParsing();
  if (!text || /<!DOCTYPE|<!ENTITY/i.test(text) || validate(text) !== true) throw ossErrors.malformedXml();
  let doc: Record<string, XmlNode>;
  try {
    doc = parser.parse(text) as Record<string, XmlNode>;
  } catch {
    throw ossErrors.malformedXml();
  }
  const node = doc[root];
  if (node === undefined || Array.isArray(node)) throw ossErrors.malformedXml();
  return normalize(node);
}

/** Text of a direct child element, or undefined; a repeated or non-text child is MalformedXML. */
export function childText(node: XmlNode, name: string): string | undefined {
  if (typeof node === 'string') return undefined;
  const child = node[name];
  if (child === undefined) return undefined;
  if (Array.isArray(child) || typeof child !== 'string') {
    // `<Description/>` parses as '' (string); an element with children where text is expected is malformed.
    throw ossErrors.malformedXml();
  }
  return child;
}

/** A direct child container (undefined when absent); `<Target></Target>` gives an empty container. */
export function childNode(node: XmlNode, name: string): XmlNode | XmlNode[] | undefined {
  if (typeof node === 'string') return undefined;
  return node[name];
}

/** Every direct child named `name`, in document order (one element or a repeated one); [] when absent. */
export function childNodes(node: XmlNode, name: string): XmlNode[] {
  const child = childNode(node, name);
  if (child === undefined) return [];
  return Array.isArray(child) ? child : [child];
}

/** Texts of every direct child named `name`; an element with children where text is expected is MalformedXML. */
export function childTexts(node: XmlNode, name: string): string[] {
  return childNodes(node, name).map((c) => {
    if (typeof c !== 'string') throw ossErrors.malformedXml();
    return c;
  });
}

/** A parsed element back into render form (stored-only documents returned as put; repeated names stay together). */
export function xmlNodeChildren(node: XmlNode): XmlValue {
  if (typeof node === 'string') return node;
  const out: XmlChild[] = [];
  for (const [name, value] of Object.entries(node)) {
    for (const item of Array.isArray(value) ? value : [value]) out.push([name, xmlNodeChildren(item)]);
  }
  return out;
}

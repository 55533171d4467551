import { describe, expect, test } from 'vitest';
import { attr, child, childText, el, leaf, parseXml, writeXml, type XmlElement } from './xml-tree.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('parseXml', () => {
  test.each([
    ['string', (s: string) => s],
    ['bytes', enc],
  ] as const)('keeps order, attributes and text (%s input)', (_n, as) => {
    const r = parseXml(as('<?xml version="1.0"?>\n<!DOCTYPE xmeml>\n<r a="1" b="x &amp; y"><b>1</b><c/><b>2</b>t</r>'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const root = r.value.root;
    expect(r.value.doctype).toBe('xmeml');
    expect(root.attributes).toEqual([['a', '1'], ['b', 'x & y']]);
    expect(root.children.map((c) => (typeof c === 'string' ? c : c.name))).toEqual(['b', 'c', 'b', 't']);
    // No value coercion: "1" stays text (parseTagValue: false).
    expect(childText(root, 'b')).toBe('1');
    // Offsets are places: <r at line 3, column 1 (XML 1.0: the document's third line).
    expect(r.value.locate(root.offset)).toMatchObject({ line: 3, column: 1 });
  });

  test('malformed XML is a diagnostic with line and column', () => {
    // The closing tag on line 3 column 3 does not match <b> opened on line 2.
    const r = parseXml('<a>\n  <b>\n  </c>\n</a>', { area: 'xmeml' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ code: 'xmeml/malformed', at: { line: 3, column: 3 } });
  });

  test('an unclosed root and an empty input are malformed, never thrown', () => {
    expect(parseXml('<a><b></b>').diagnostics[0]?.code).toBe('xml/malformed');
    expect(parseXml('').diagnostics[0]?.code).toBe('xml/malformed');
    expect(parseXml(new Uint8Array([0xff, 0xfe, 0x00])).ok).toBe(false);
  });

  test('__proto__, constructor and hasOwnProperty are plain data', () => {
    const r = parseXml('<r __proto__="p" constructor="c"><__proto__>x</__proto__><hasOwnProperty>y</hasOwnProperty><prototype/></r>');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(attr(r.value.root, '__proto__')).toBe('p');
    expect(attr(r.value.root, 'constructor')).toBe('c');
    expect(childText(r.value.root, '__proto__')).toBe('x');
    expect(childText(r.value.root, 'hasOwnProperty')).toBe('y');
    expect(child(r.value.root, 'prototype')).toBeDefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(r.value.root)).toBe(Object.prototype);
  });

  test('nesting is bounded', () => {
    const deep = '<a>'.repeat(300) + '</a>'.repeat(300);
    expect(parseXml(deep).diagnostics[0]?.code).toBe('xml/too-deep');
    expect(parseXml(deep, { maxDepth: 400 }).ok).toBe(true);
  });

  test('a billion-laughs DOCTYPE does not expand', () => {
    const lol = '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + Array.from({ length: 9 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${('&' + (i === 0 ? 'a' : 'b'.repeat(i)) + ';').repeat(10)}">`).join('') + ']><r>&bbbbbbbbb;</r>';
    const r = parseXml(lol);
    // Either rejected by the entity limits or left unexpanded; never 10^10 characters.
    if (r.ok) expect((r.value.root.children[0] as string).length).toBeLessThan(10_000);
    else expect(r.diagnostics[0]?.code).toMatch(/^xml\//);
  });

  test('numeric character references and carriage returns survive a write and a read', () => {
    const r = parseXml('<r a="x&#10;y"><n>A&#13;B&#x41;</n></r>');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(attr(r.value.root, 'a')).toBe('x\ny');
    expect(childText(r.value.root, 'n')).toBe('A\rBA');
    const again = parseXml(writeXml(r.value.root));
    expect(again.ok && childText(again.value.root, 'n')).toBe('A\rBA');
    expect(again.ok && attr(again.value.root, 'a')).toBe('x\ny');
  });

  test('write then parse gives the same tree', () => {
    const tree: XmlElement = el('xmeml', [['version', '5']], el('s', [['q', 'a"b<c']], leaf('name', 'R&D <1>'), el('empty')), el('mixed', [], 'a', leaf('b', 'c'), 'd'));
    const r = parseXml(writeXml(tree, { doctype: 'xmeml' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const strip = (e: XmlElement): unknown => ({ n: e.name, a: e.attributes, c: e.children.map((c) => (typeof c === 'string' ? c : strip(c))) });
    expect(strip(r.value.root)).toEqual(strip(tree));
  });
});

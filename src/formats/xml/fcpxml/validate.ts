/**
 * Validation of an FCPXML document against the grammar of its version (`dtd.ts`): Final Cut Pro
 * rejects the whole import of a document that does not validate (spec/xml.md 2.1), so every FCPXML
 * dubstage writes is checked with this before it is handed out.
 *
 * Checked, as a validating XML parser checks a DTD: every element is declared in that version;
 * its children follow its content model (in order: `timeMap` before adjustments, anchored items
 * before markers, `audio-channel-source` after them…); elements declared empty or text-only hold
 * nothing else; attributes are declared, required ones present, enumerated ones (`tcFormat`,
 * `srcEnable`, fade types, `enabled` flags…) hold a listed value, and the root's `version` is the
 * one validated against; ids are unique and every id reference names one. Beyond the DTD, which
 * declares times as free text, every time attribute must have the form FCP reads (`N/Ds` or `Ns`,
 * integers, D > 0: spec/xml.md 2.3) and a `lane` must be an integer.
 *
 * Content models are matched by a small automaton (Thompson construction, simulated over the
 * children), so a spine of 100,000 items is checked in linear time, and a mismatch names the
 * child where it happened and the elements that could have come there.
 * @packageDocumentation
 */
import { error, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import { parseXml, type XmlDocument, type XmlElement } from '../xml-tree.js';
import { grammar, type AttrDecl, type ElementDecl, type Model } from './dtd.js';

/** Options of {@link validate}. */
export interface FcpxmlValidateOptions {
  /** File name carried into diagnostics. */
  readonly source?: string;
  /** Stop after this many diagnostics (default 100). */
  readonly maxDiagnostics?: number;
}

/** The FCPXML versions whose grammar {@link validate} knows. */
export const FCPXML_VERSIONS = ['1.8', '1.9', '1.10', '1.11', '1.12', '1.13'] as const;

const TIME = /^-?\d+(?:\/[1-9]\d*)?s$/;
const LANE = /^-?\d+$/;

// ------------------------------------------------------------------------------------------------
// Automaton for content models.

interface Nfa {
  /** Per state: labelled edges (child name → next states). */
  readonly edges: Map<string, number[]>[];
  /** Per state: epsilon edges. */
  readonly eps: number[][];
  readonly start: number;
  readonly accept: number;
}

function compile(model: Model): Nfa {
  const edges: Map<string, number[]>[] = [];
  const eps: number[][] = [];
  const state = (): number => {
    edges.push(new Map());
    eps.push([]);
    return edges.length - 1;
  };
  const link = (a: number, b: number): void => {
    (eps[a] as number[]).push(b);
  };
  // Returns [entry, exit] of a fragment.
  const frag = (x: Model): [number, number] => {
    switch (x.k) {
      case 'el': {
        const a = state();
        const b = state();
        const list = (edges[a] as Map<string, number[]>).get(x.name) ?? [];
        list.push(b);
        (edges[a] as Map<string, number[]>).set(x.name, list);
        return [a, b];
      }
      case 'seq': {
        const a = state();
        let cur = a;
        for (const it of x.items) {
          const [s, e] = frag(it);
          link(cur, s);
          cur = e;
        }
        return [a, cur];
      }
      case 'alt': {
        const a = state();
        const b = state();
        for (const it of x.items) {
          const [s, e] = frag(it);
          link(a, s);
          link(e, b);
        }
        return [a, b];
      }
      case 'opt': {
        const [s, e] = frag(x.item);
        link(s, e);
        return [s, e];
      }
      case 'star':
      case 'plus': {
        const a = state();
        const b = state();
        const [s, e] = frag(x.item);
        link(a, s);
        link(e, b);
        link(e, s);
        if (x.k === 'star') link(a, b);
        return [a, b];
      }
    }
  };
  const [start, accept] = frag(model);
  return { edges, eps, start, accept };
}

/** A lazily determinised view of an NFA: state sets are cached by key. */
class Matcher {
  private readonly nfa: Nfa;
  private readonly sets = new Map<string, { states: number[]; next: Map<string, string | null>; accepts: boolean }>();
  readonly startKey: string;

  constructor(model: Model) {
    this.nfa = compile(model);
    this.startKey = this.intern(this.closure([this.nfa.start]));
  }

  private closure(seed: readonly number[]): number[] {
    const seen = new Set<number>(seed);
    const stack = [...seed];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      for (const t of this.nfa.eps[s] as number[]) {
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
      }
    }
    return [...seen].sort((a, b) => a - b);
  }

  private intern(states: number[]): string {
    const key = states.join(',');
    if (!this.sets.has(key)) this.sets.set(key, { states, next: new Map(), accepts: states.includes(this.nfa.accept) });
    return key;
  }

  /** The state set after `name`, or null when `name` cannot come here. */
  step(key: string, name: string): string | null {
    const set = this.sets.get(key) as { states: number[]; next: Map<string, string | null> };
    const cached = set.next.get(name);
    if (cached !== undefined) return cached;
    const to: number[] = [];
    for (const s of set.states) for (const t of (this.nfa.edges[s] as Map<string, number[]>).get(name) ?? []) to.push(t);
    const result = to.length === 0 ? null : this.intern(this.closure(to));
    set.next.set(name, result);
    return result;
  }

  accepts(key: string): boolean {
    return (this.sets.get(key) as { accepts: boolean }).accepts;
  }

  /** The child names that may come in this state (sorted). */
  expected(key: string): string[] {
    const names = new Set<string>();
    for (const s of (this.sets.get(key) as { states: number[] }).states) for (const n of (this.nfa.edges[s] as Map<string, number[]>).keys()) names.add(n);
    return [...names].sort();
  }
}

const matchers = new Map<string, Matcher>();

function matcherFor(minor: number, name: string, model: Model): Matcher {
  const key = `${minor}:${name}`;
  let m = matchers.get(key);
  if (!m) {
    m = new Matcher(model);
    matchers.set(key, m);
  }
  return m;
}

// ------------------------------------------------------------------------------------------------

function minorOf(version: string | undefined): number | undefined {
  const m = version !== undefined ? /^1\.(\d+)$/.exec(version.trim()) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * Validates an FCPXML document (text, bytes, a parsed document or its root element) against the
 * grammar of `version` (default: the root's `version` attribute; 1.8 to 1.13). Returns the
 * problems found, each with an element path (`fcpxml/library/event[1]/project[1]/sequence/spine/
 * asset-clip[3]`) and, for text input, the line and column of the element. An empty list means
 * the document is valid. Never throws; malformed XML gives `fcpxml/malformed`.
 *
 * Codes: `fcpxml/dtd-element` (undeclared element), `fcpxml/dtd-content` (children out of the
 * content model, or text where none is allowed), `fcpxml/dtd-attribute` (undeclared attribute),
 * `fcpxml/dtd-required` (a required attribute is missing), `fcpxml/dtd-value` (a value outside
 * its enumeration, or a `version` other than the one validated against), `fcpxml/dtd-id`
 * (duplicate id or dangling reference), `fcpxml/bad-time-value` (a time not written `N/Ds` or
 * `Ns`), `fcpxml/bad-lane`, `fcpxml/unknown-version` (a warning: the nearest grammar is used).
 */
export function validate(input: string | Uint8Array | XmlDocument | XmlElement, version?: string, options: FcpxmlValidateOptions = {}): Diagnostic[] {
  const src = options.source !== undefined ? { source: options.source } : {};
  let root: XmlElement;
  let locate: ((offset: number) => { offset: number; line: number; column: number }) | undefined;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const parsed = parseXml(input, { area: 'fcpxml', ...src });
    if (!parsed.ok) return [...parsed.diagnostics];
    root = parsed.value.root;
    locate = parsed.value.locate;
  } else if ('root' in input) {
    root = input.root;
    locate = input.locate;
  } else root = input;
  const out: Diagnostic[] = [];
  const max = options.maxDiagnostics ?? 100;
  const where = (e: XmlElement, path: readonly string[]): Pick<Diagnostic, 'at' | 'path' | 'source'> => ({
    ...(locate && e.offset >= 0 ? { at: locate(e.offset) } : {}),
    path,
    ...src,
  });
  const report = (d: Diagnostic): void => {
    if (out.length < max) out.push(d);
  };

  const stated = version ?? root.attributes.find((a) => a[0] === 'version')?.[1];
  let minor = minorOf(stated);
  if (minor === undefined || minor < 8 || minor > 13) {
    const nearest = minor === undefined || minor > 13 ? 13 : 8;
    report({ severity: 'warning', code: 'fcpxml/unknown-version', message: `FCPXML version "${stated ?? ''}" is not one of ${FCPXML_VERSIONS.join(', ')}; checked against 1.${nearest}`, ...where(root, [root.name]) });
    minor = nearest;
  }
  const g = grammar(minor);
  if (root.name !== 'fcpxml') {
    report(error('fcpxml/dtd-element', `the root element is <${root.name}>, not <fcpxml>`, where(root, [root.name])));
    return out;
  }
  const ids = new Map<string, PathStep[]>();
  const refs: { id: string; e: XmlElement; at: PathStep; attr: string }[] = [];

  // Iterative walk (nesting is bounded by the parser, but a built tree need not be). Paths are
  // linked steps, made into arrays only for a diagnostic.
  const stack: { e: XmlElement; at: PathStep }[] = [{ e: root, at: { parent: undefined, step: 'fcpxml' } }];
  while (stack.length > 0 && out.length < max) {
    const { e, at } = stack.pop() as { e: XmlElement; at: PathStep };
    const decl = g.get(e.name);
    if (!decl) {
      report(error('fcpxml/dtd-element', `<${e.name}> is not an element of FCPXML 1.${minor}`, where(e, pathOf(at))));
      continue;
    }
    checkAttributes(e, decl, at, minor, where, report, ids, refs);
    checkContent(e, decl, at, minor, where, report);
    // Children, numbered per name as in the other XML paths (`asset-clip[3]`).
    const counts = new Map<string, number>();
    const kids: { e: XmlElement; at: PathStep }[] = [];
    for (const k of e.children) {
      if (typeof k === 'string' || k.name === '#comment') continue;
      const n = (counts.get(k.name) ?? 0) + 1;
      counts.set(k.name, n);
      kids.push({ e: k, at: { parent: at, step: k.name, index: n } });
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as { e: XmlElement; at: PathStep });
  }
  for (const r of refs) {
    if (!ids.has(r.id)) report(error('fcpxml/dtd-id', `<${r.e.name} ${r.attr}="${r.id}"> names no element with that id`, where(r.e, pathOf(r.at))));
  }
  for (const [id, paths] of ids) {
    if (paths.length > 1) report(error('fcpxml/dtd-id', `id "${id}" is used by ${paths.length} elements (${paths.map((p) => pathOf(p).join('/')).join(', ')})`, { path: pathOf(paths[1] as PathStep), ...src }));
  }
  return out;
}

type Where = (e: XmlElement, path: readonly string[]) => Pick<Diagnostic, 'at' | 'path' | 'source'>;

interface PathStep {
  readonly parent: PathStep | undefined;
  readonly step: string;
  readonly index?: number;
}

function pathOf(at: PathStep): string[] {
  const out: string[] = [];
  for (let p: PathStep | undefined = at; p; p = p.parent) out.push(p.index === undefined ? p.step : `${p.step}[${p.index}]`);
  return out.reverse();
}

const requiredOf = new WeakMap<ElementDecl, string[]>();

function checkAttributes(
  e: XmlElement,
  decl: ElementDecl,
  at: PathStep,
  minor: number,
  whereAt: Where,
  report: (d: Diagnostic) => void,
  ids: Map<string, PathStep[]>,
  refs: { id: string; e: XmlElement; at: PathStep; attr: string }[],
): void {
  const where = (x: XmlElement): Pick<Diagnostic, 'at' | 'path' | 'source'> => whereAt(x, pathOf(at));
  for (const [name, value] of e.attributes) {
    const a: AttrDecl | undefined = decl.attributes.get(name);
    if (!a) {
      // Namespace declarations and xml:* attributes are not FCPXML's.
      report(error('fcpxml/dtd-attribute', `<${e.name}> has no attribute "${name}" in FCPXML 1.${minor}`, { ...where(e), received: name }));
      continue;
    }
    if (a.fixed !== undefined && value !== a.fixed) {
      report(error('fcpxml/dtd-value', `<${e.name} ${name}="${value}">: validated as FCPXML ${a.fixed}`, { ...where(e), expected: a.fixed, received: value }));
    }
    const t = a.type;
    if (Array.isArray(t)) {
      if (!t.includes(value)) report(error('fcpxml/dtd-value', `<${e.name} ${name}="${value}"> is not one of ${t.join(' | ')}`, { ...where(e), expected: t.join(' | '), received: value }));
    } else if (t === 'flag') {
      if (value !== '0' && value !== '1') report(error('fcpxml/dtd-value', `<${e.name} ${name}="${value}"> is not 0 or 1`, { ...where(e), expected: '0 | 1', received: value }));
    } else if (t === 'time') {
      if (!TIME.test(value)) report(error('fcpxml/bad-time-value', `<${e.name} ${name}="${value}"> is not a time ("N/Ds" or "Ns")`, { ...where(e), expected: 'N/Ds', received: value }));
    } else if (t === 'id') {
      if (!/^[A-Za-z_:][-A-Za-z0-9._:]*$/.test(value)) report(error('fcpxml/dtd-id', `<${e.name} id="${value}"> is not an XML name`, where(e)));
      const list = ids.get(value) ?? [];
      list.push(at);
      ids.set(value, list);
    } else if (t === 'idref') {
      refs.push({ id: value, e, at, attr: name });
    }
    if (name === 'lane' && !LANE.test(value)) report(error('fcpxml/bad-lane', `<${e.name} lane="${value}"> is not an integer`, { ...where(e), received: value }));
  }
  let required = requiredOf.get(decl);
  if (!required) {
    required = [...decl.attributes].filter((x) => x[1].required).map((x) => x[0]);
    requiredOf.set(decl, required);
  }
  for (const name of required) {
    if (!e.attributes.some((x) => x[0] === name)) report(error('fcpxml/dtd-required', `<${e.name}> lacks the required attribute "${name}"`, { ...where(e), expected: name }));
  }
}

function checkContent(e: XmlElement, decl: ElementDecl, at: PathStep, minor: number, whereAt: Where, report: (d: Diagnostic) => void): void {
  const where = (x: XmlElement, p: readonly string[] = pathOf(at)): Pick<Diagnostic, 'at' | 'path' | 'source'> => whereAt(x, p);
  const c = decl.content;
  const textInside = e.children.some((k) => typeof k === 'string' && k.trim() !== '');
  const elementKids = e.children.filter((k): k is XmlElement => typeof k !== 'string' && k.name !== '#comment');
  switch (c.kind) {
    case 'empty':
      if (e.children.some((k) => typeof k === 'string' ? k !== '' : k.name !== '#comment')) {
        report(error('fcpxml/dtd-content', `<${e.name}> must be empty`, where(e)));
      }
      return;
    case 'text':
      if (elementKids.length > 0) report(error('fcpxml/dtd-content', `<${e.name}> holds text only, not <${(elementKids[0] as XmlElement).name}>`, where(elementKids[0] as XmlElement)));
      return;
    case 'mixed':
      for (const k of elementKids) if (!c.names.includes(k.name)) report(error('fcpxml/dtd-content', `<${e.name}> may hold text and ${c.names.map((n) => `<${n}>`).join(', ')}, not <${k.name}>`, where(k)));
      return;
    case 'model': {
      if (textInside) report(error('fcpxml/dtd-content', `<${e.name}> holds elements only, not text`, where(e)));
      const m = matcherFor(minor, e.name, c.model);
      let state = m.startKey;
      for (let i = 0; i < elementKids.length; i++) {
        const k = elementKids[i] as XmlElement;
        const next = m.step(state, k.name);
        if (next === null) {
          let n = 0;
          for (let j = 0; j <= i; j++) if ((elementKids[j] as XmlElement).name === k.name) n++;
          const childPath = [...pathOf(at), `${k.name}[${n}]`];
          const expected = m.expected(state);
          const got = elementKids.map((x) => x.name).join(', ');
          report(
            error(
              'fcpxml/dtd-content',
              `<${e.name}>: <${k.name}> (child ${i + 1}) cannot come here; expected ${expected.length > 0 ? expected.map((n) => `<${n}>`).join(', ') : 'nothing more'}${m.accepts(state) ? ' or the end' : ''} (children: ${got})`,
              { ...where(k, childPath), expected: expected.join(' | '), received: k.name },
            ),
          );
          return;
        }
        state = next;
      }
      if (!m.accepts(state)) {
        const expected = m.expected(state);
        report(error('fcpxml/dtd-content', `<${e.name}> is incomplete: expected ${expected.map((n) => `<${n}>`).join(', ')}`, { ...where(e), expected: expected.join(' | ') }));
      }
    }
  }
}

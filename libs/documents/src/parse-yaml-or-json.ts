import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { DocumentIssue, LineOf } from './document-issue.js';

export type ParsedText =
  | { readonly ok: true; readonly value: unknown; readonly lineOf: LineOf }
  | { readonly ok: false; readonly issues: readonly DocumentIssue[] };

/**
 * Parses YAML (JSON is YAML too, so one parser serves both) and keeps what is needed to point at the line
 * of any field later, when a schema refuses it. Syntax errors come back as issues with their line.
 */
export function parseYamlOrJsonWithLines(text: string): ParsedText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  // Only the first syntax error: the ones after it are mostly the parser losing its footing because of it.
  const [error] = doc.errors;
  if (error) return { ok: false, issues: [{ path: '', message: error.message.split('\n')[0]!, line: lineCounter.linePos(error.pos[0]).line }] };
  return { ok: true, value: doc.toJS(), lineOf: lineOfPath(doc, lineCounter) };
}

/** Reads and parses a file; a file that cannot be read is an issue of the document too, so callers have one error path. */
export function parseYamlOrJsonFile(path: string): ParsedText {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    return { ok: false, issues: [{ path: '', message: `cannot read the file: ${(cause as Error).message}` }] };
  }
  return parseYamlOrJsonWithLines(text);
}

function lineOfPath(doc: Document, lineCounter: LineCounter): LineOf {
  const lineAt = (node: unknown): number | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  return (path) => {
    // Walk down as far as the path exists, so a missing field points at its parent. A map entry's line is its
    // key's, not its value's: a nested block starts on the line after the key the author has to look at.
    let node: unknown = doc.contents;
    let line = lineAt(node);
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
        if (!pair) break;
        line = lineAt(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
        node = node.items[key];
        line = lineAt(node) ?? line;
      } else {
        break;
      }
    }
    return line;
  };
}

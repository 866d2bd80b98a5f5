/** One thing wrong with a document (a YAML or JSON file, or a value an author wrote in code). */
export interface DocumentIssue {
  /** Dotted path of the field at fault, e.g. `method.2.duration`; empty for the document itself. */
  readonly path: string;
  /** What is wrong and what to write instead. */
  readonly message: string;
  /** 1-based line in the text, when the document came from text and the field (or its parent) is in it. */
  readonly line?: number;
}

/** Finds the line of a field by its path; undefined when the document has no text behind it. */
export type LineOf = (path: readonly PropertyKey[]) => number | undefined;

/** `  method.2.duration (line 14): must be a duration like 10s or 500ms` — one issue a line, for error messages. */
export function formatDocumentIssues(issues: readonly DocumentIssue[]): string {
  return issues.map((i) => `  ${i.path || '(document)'}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`).join('\n');
}

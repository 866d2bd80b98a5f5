import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { parseYamlOrJsonFile, parseYamlOrJsonWithLines, validateDocument, type DocumentIssue, type ParsedText } from '#libs/documents';
import { SloDocumentError, type SloFileIssues } from './slo.errors.js';
import { sloDocumentSchema, windowName, type SloDocument } from './slo-document.schema.js';
import type { Slo } from './slo.model.js';

export const SLO_FILE_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

type Checked = { readonly ok: true; readonly slo: Slo; readonly nameLine: number | undefined } | { readonly ok: false; readonly issues: readonly DocumentIssue[] };

function toSlo(doc: SloDocument, file: string): Slo {
  const objective = doc.spec.objectives[0]!;
  const ratio = doc.spec.indicator.spec.ratioMetric;
  const windowSeconds = doc.spec.timeWindow[0]!.duration;
  return {
    name: doc.metadata.name,
    displayName: doc.metadata.displayName ?? doc.metadata.name,
    service: doc.spec.service,
    description: doc.spec.description,
    target: objective.target,
    windowSeconds,
    window: windowName(windowSeconds),
    good: ratio.good.metricSource.spec.query,
    total: ratio.total.metricSource.spec.query,
    ...(objective.op !== undefined && objective.value !== undefined ? { threshold: { op: objective.op, value: objective.value } } : {}),
    file,
  };
}

function check(parsed: ParsedText, file: string): Checked {
  if (!parsed.ok) return parsed;
  const validated = validateDocument(sloDocumentSchema, parsed.value, parsed.lineOf);
  if (!validated.ok) return validated;
  return { ok: true, slo: toSlo(validated.data, file), nameLine: parsed.lineOf(['metadata', 'name']) };
}

/** One SLO document given as text; `source` names it in errors. Throws SloDocumentError. */
export function sloFromText(text: string, source: string): Slo {
  const checked = check(parseYamlOrJsonWithLines(text), source);
  if (!checked.ok) throw new SloDocumentError([{ file: source, issues: checked.issues }]);
  return checked.slo;
}

/** The SLO files of a folder (YAML or JSON), sorted by name; a path that is a file is taken as it is. */
function filesOf(dirOrFiles: string | readonly string[]): { files: string[]; problem?: SloFileIssues } {
  if (typeof dirOrFiles !== 'string') return { files: dirOrFiles.map((f) => resolve(f)) };
  const dir = resolve(dirOrFiles);
  if (SLO_FILE_EXTENSIONS.includes(extname(dir))) return { files: [dir] };
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) return { files: [dir] };
    entries = readdirSync(dir);
  } catch (cause) {
    return { files: [], problem: { file: dir, issues: [{ path: '', message: `cannot read the folder: ${(cause as Error).message}` }] } };
  }
  const files = entries.filter((f) => SLO_FILE_EXTENSIONS.includes(extname(f))).sort().map((f) => join(dir, f));
  if (files.length === 0) return { files, problem: { file: dir, issues: [{ path: '', message: `no SLO documents here (files ending in ${SLO_FILE_EXTENSIONS.join(', ')})` }] } };
  return { files };
}

/**
 * Loads SLO documents: every file of a folder (`.yaml`, `.yml`, `.json`), or the files given. Every file is
 * checked before anything is returned; if any is invalid, or two share a `metadata.name`, a SloDocumentError
 * lists every invalid file with each issue's field path, line and reason.
 */
export function loadSlos(dirOrFiles: string | readonly string[]): Slo[] {
  const { files, problem } = filesOf(dirOrFiles);
  const problems: SloFileIssues[] = problem ? [problem] : [];
  const slos: Slo[] = [];
  const byName = new Map<string, Slo>();
  for (const file of files) {
    const checked = check(parseYamlOrJsonFile(file), file);
    if (!checked.ok) {
      problems.push({ file, issues: checked.issues });
      continue;
    }
    const { slo, nameLine } = checked;
    const first = byName.get(slo.name);
    if (first) {
      problems.push({ file, issues: [{ path: 'metadata.name', message: `"${slo.name}" is already the name of the SLO in ${first.file}: names must be unique`, ...(nameLine ? { line: nameLine } : {}) }] });
      continue;
    }
    byName.set(slo.name, slo);
    slos.push(slo);
  }
  const [firstProblem, ...more] = problems;
  if (firstProblem) throw new SloDocumentError([firstProblem, ...more]);
  return slos;
}

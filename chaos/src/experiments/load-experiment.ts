import { parseYamlOrJsonFile, parseYamlOrJsonWithLines, validateDocument, type LineOf, type ParsedText, type Validated } from '#libs/documents';
import type { Topology } from '#libs/topology';
import { ExperimentInvalidError } from './experiment.errors.js';
import { experimentSchema, type Experiment } from './experiment.schema.js';
import { checkExperimentTargets } from './experiment-targets.js';

export interface LoadExperimentOptions {
  /** Also check that every component, link selector and shard exists in this topology (the one it will run on). */
  readonly topology?: Topology;
}

function validate(value: unknown, lineOf: LineOf | undefined, options: LoadExperimentOptions): Validated<Experiment> {
  const validated = validateDocument(experimentSchema, value, lineOf);
  if (!validated.ok || !options.topology) return validated;
  const issues = checkExperimentTargets(validated.data, options.topology).map((issue) => {
    const line = lineOf?.(issue.path.split('.').map((key) => (/^\d+$/.test(key) ? Number(key) : key)));
    return line ? { ...issue, line } : issue;
  });
  return issues.length > 0 ? { ok: false, issues } : validated;
}

function fromParsed(parsed: ParsedText, source: string, options: LoadExperimentOptions): Experiment {
  const validated = parsed.ok ? validate(parsed.value, parsed.lineOf, options) : parsed;
  if (!validated.ok) throw new ExperimentInvalidError(source, validated.issues);
  return validated.data;
}

/** Validates an experiment given as a value (e.g. from `defineExperiment`); `source` names it in errors. */
export function experimentFromValue(value: unknown, source: string, options: LoadExperimentOptions = {}): Experiment {
  return fromParsed({ ok: true, value, lineOf: () => undefined }, source, options);
}

/** Parses YAML or JSON; every problem, syntax or schema, is reported with its field and line. */
export function experimentFromText(text: string, source: string, options: LoadExperimentOptions = {}): Experiment {
  return fromParsed(parseYamlOrJsonWithLines(text), source, options);
}

export function loadExperimentFile(path: string, options: LoadExperimentOptions = {}): Experiment {
  return fromParsed(parseYamlOrJsonFile(path), path, options);
}

import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExperimentCatalogueMissingError, UnknownExperimentError } from './experiment.errors.js';
import type { Experiment } from './experiment.schema.js';
import { loadExperimentFile, type LoadExperimentOptions } from './load-experiment.js';

export interface BuiltInExperiment {
  /** The file name without extension: what `faultline chaos run <name>` takes. */
  readonly name: string;
  readonly title: string;
  /** One line, shown by `faultline chaos list`. */
  readonly lesson: string;
  readonly tags: readonly string[];
  readonly file: string;
}

export interface ResolvedExperiment {
  readonly name: string;
  readonly file: string;
  readonly experiment: Experiment;
}

const CATALOGUE = join('chaos', 'experiments');
const EXTENSIONS = ['.yaml', '.yml', '.json'];

let catalogueDir: string | undefined;

/**
 * The YAML files stay in chaos/experiments/ at the repository root while this module runs from
 * chaos/src/experiments/ (sources, tests) or dist/chaos/src/experiments/ (the build): rather than counting
 * levels for each layout, walk up to the first folder that holds chaos/experiments/.
 */
export function builtInExperimentsDir(): string {
  if (catalogueDir) return catalogueDir;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, CATALOGUE);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return (catalogueDir = candidate);
    if (dirname(dir) === dir) throw new ExperimentCatalogueMissingError(start);
  }
}

function catalogueFiles(dir: string): Map<string, string> {
  const entries = readdirSync(dir)
    .filter((file) => EXTENSIONS.includes(extname(file)))
    .map((file): [string, string] => [basename(file, extname(file)), join(dir, file)]);
  // By name, not file name: `kill-primary` before `kill-primary-async` (`.yaml` sorts after `-`).
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Every built-in experiment by name; loading each also proves it valid (an invalid one throws). */
export function listBuiltInExperiments(dir = builtInExperimentsDir()): BuiltInExperiment[] {
  return [...catalogueFiles(dir)].map(([name, file]) => {
    const { title, lesson, tags } = loadExperimentFile(file);
    return { name, title, lesson, tags, file };
  });
}

/** The file of a built-in experiment; an unknown name throws, listing the known ones. */
export function builtInExperimentFile(name: string, dir = builtInExperimentsDir()): string {
  const files = catalogueFiles(dir);
  const file = files.get(name);
  if (!file) throw new UnknownExperimentError(name, [...files.keys()]);
  return file;
}

export function loadBuiltInExperiment(name: string, options: LoadExperimentOptions = {}, dir = builtInExperimentsDir()): Experiment {
  return loadExperimentFile(builtInExperimentFile(name, dir), options);
}

/** What `chaos run <name|file>` takes: a path (it has a `/` or a .yaml/.yml/.json ending) or a built-in name. */
export function resolveExperiment(nameOrFile: string, options: LoadExperimentOptions = {}): ResolvedExperiment {
  const isPath = nameOrFile.includes('/') || nameOrFile.includes(sep) || EXTENSIONS.includes(extname(nameOrFile));
  if (isPath) {
    return { name: basename(nameOrFile, extname(nameOrFile)), file: nameOrFile, experiment: loadExperimentFile(nameOrFile, options) };
  }
  const file = builtInExperimentFile(nameOrFile);
  return { name: nameOrFile, file, experiment: loadExperimentFile(file, options) };
}

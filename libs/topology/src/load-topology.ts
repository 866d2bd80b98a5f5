import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { deriveTopology } from './derive-topology.js';
import { builtInProfiles } from './profiles/index.js';
import { InvalidTopologyError, UnknownProfileError, type TopologyIssue } from './topology.errors.js';
import type { Topology } from './topology.model.js';
import { topologySpecSchema } from './topology.spec-schema.js';

export const builtInProfileNames = Object.keys(builtInProfiles);

/** What the command line may change in a spec; applied before validation, so it is checked like the spec. */
export interface TopologyOverrides {
  /** Moves the whole lab to another port range (e.g. to run two labs side by side). */
  readonly portBase?: number;
  /** Replaces the spec's `slo.timeScale` (validated like it). */
  readonly sloTimeScale?: number;
}

function withOverrides(value: unknown, overrides: TopologyOverrides): unknown {
  if (!value || typeof value !== 'object') return value;
  const spec = value as Record<string, unknown>;
  const slo = spec.slo && typeof spec.slo === 'object' ? spec.slo : {};
  return {
    ...spec,
    ...(overrides.portBase !== undefined ? { portBase: overrides.portBase } : {}),
    ...(overrides.sloTimeScale !== undefined ? { slo: { ...slo, timeScale: overrides.sloTimeScale } } : {}),
  };
}

/** Validates a spec given as a plain value; `source` names it in errors. */
export function topologyFromSpec(
  value: unknown,
  source: string,
  lineOf?: (path: readonly PropertyKey[]) => number | undefined,
  overrides: TopologyOverrides = {},
): Topology {
  const parsed = topologySpecSchema.safeParse(withOverrides(value, overrides));
  if (!parsed.success) {
    const issues: TopologyIssue[] = parsed.error.issues.map((issue) => {
      const line = lineOf?.(issue.path);
      return { path: issue.path.map(String).join('.'), message: issue.message, ...(line ? { line } : {}) };
    });
    throw new InvalidTopologyError(source, issues);
  }
  return deriveTopology(parsed.data);
}

/** Parses YAML (JSON is YAML too) and reports each problem with its field and line. */
export function topologyFromText(text: string, source: string, overrides: TopologyOverrides = {}): Topology {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InvalidTopologyError(
      source,
      doc.errors.map((e) => ({ path: '', message: e.message.split('\n')[0]!, line: lineCounter.linePos(e.pos[0]).line })),
    );
  }
  const lineOf = (path: readonly PropertyKey[]): number | undefined => {
    // Walk down as far as the path exists, so a missing field points at its parent.
    let node: unknown = doc.contents;
    for (const key of path) {
      if (!(isMap(node) || isSeq(node))) break;
      const child: unknown = node.get(typeof key === 'symbol' ? String(key) : key, true);
      if (!child) break;
      node = child;
    }
    const range = (node as YamlNode | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  return topologyFromSpec(doc.toJS(), source, lineOf, overrides);
}

export function loadTopologyFile(path: string, overrides: TopologyOverrides = {}): Topology {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new InvalidTopologyError(path, [{ path: '', message: `cannot read the file: ${(cause as Error).message}` }]);
  }
  return topologyFromText(text, path, overrides);
}

export function loadProfile(name: string, overrides: TopologyOverrides = {}): Topology {
  const spec = Object.hasOwn(builtInProfiles, name) ? builtInProfiles[name] : undefined;
  if (!spec) throw new UnknownProfileError(name, builtInProfileNames);
  return topologyFromSpec(spec, `profile "${name}"`, undefined, overrides);
}

/** A file path wins over a profile name; the default is the `minimal` profile. */
export function resolveTopology(options: { profile?: string; file?: string } & TopologyOverrides): Topology {
  const overrides: TopologyOverrides = {
    ...(options.portBase !== undefined ? { portBase: options.portBase } : {}),
    ...(options.sloTimeScale !== undefined ? { sloTimeScale: options.sloTimeScale } : {}),
  };
  return options.file ? loadTopologyFile(options.file, overrides) : loadProfile(options.profile ?? 'minimal', overrides);
}

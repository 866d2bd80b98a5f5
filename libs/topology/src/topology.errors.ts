import { FaultlineError } from '#libs/errors';

export interface TopologyIssue {
  /** Dotted path of the field at fault, e.g. `shards.1.primary`; empty for the document itself. */
  readonly path: string;
  readonly message: string;
  /** 1-based line in the file, when the spec came from a file. */
  readonly line?: number;
}

export class InvalidTopologyError extends FaultlineError<'TOPOLOGY_INVALID'> {
  readonly code = 'TOPOLOGY_INVALID' as const;

  constructor(
    readonly source: string,
    readonly issues: readonly TopologyIssue[],
  ) {
    super(
      `invalid topology ${source}:\n` +
        issues.map((i) => `  ${i.path || '(document)'}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`).join('\n'),
    );
  }
}

export class UnknownProfileError extends FaultlineError<'TOPOLOGY_UNKNOWN_PROFILE'> {
  readonly code = 'TOPOLOGY_UNKNOWN_PROFILE' as const;

  constructor(
    readonly profile: string,
    readonly known: readonly string[],
  ) {
    super(`unknown profile "${profile}": use one of ${known.join(', ')}, or --topology <file.yaml>`);
  }
}

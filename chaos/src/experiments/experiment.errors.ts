import { formatDocumentIssues, type DocumentIssue } from '#libs/documents';
import { FaultlineError, isFaultlineError } from '#libs/errors';

/** One thing wrong with an experiment: `{ path: 'method.2.duration', message, line }`. */
export type ExperimentIssue = DocumentIssue;

/** The document is not a valid experiment; every issue is listed at once, each with its field and line. */
export class ExperimentInvalidError extends FaultlineError<'EXPERIMENT_INVALID'> {
  readonly code = 'EXPERIMENT_INVALID' as const;

  constructor(
    readonly source: string,
    readonly issues: readonly ExperimentIssue[],
  ) {
    super(`invalid experiment ${source}:\n${formatDocumentIssues(issues)}`);
  }
}

export const isExperimentInvalidError = (error: unknown): error is ExperimentInvalidError => isFaultlineError(error, 'EXPERIMENT_INVALID');

/** Neither a built-in experiment's name nor a file. */
export class UnknownExperimentError extends FaultlineError<'EXPERIMENT_UNKNOWN'> {
  readonly code = 'EXPERIMENT_UNKNOWN' as const;

  constructor(
    readonly experiment: string,
    readonly known: readonly string[],
  ) {
    super(`unknown experiment "${experiment}": use one of ${known.join(', ')}, or the path of a .yaml or .json file`);
  }
}

export const isUnknownExperimentError = (error: unknown): error is UnknownExperimentError => isFaultlineError(error, 'EXPERIMENT_UNKNOWN');

/** The built-in catalogue (chaos/experiments/) is not found above this module: an incomplete checkout or install. */
export class ExperimentCatalogueMissingError extends FaultlineError<'EXPERIMENT_CATALOGUE_MISSING'> {
  readonly code = 'EXPERIMENT_CATALOGUE_MISSING' as const;

  constructor(readonly searchedFrom: string) {
    super(`no chaos/experiments/ folder in ${searchedFrom} or any folder above it: the built-in experiments ship with the repository`);
  }
}

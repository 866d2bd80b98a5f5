import { FaultlineError, isFaultlineError } from '#libs/errors';

/**
 * The experiment could not run (exit code 2): the lab is missing or not steady, the experiment uses something
 * this runner does not support yet, a fault could not be injected. `reason` is one line for the user.
 */
export class ExperimentCannotRunError extends FaultlineError<'EXPERIMENT_CANNOT_RUN'> {
  readonly code = 'EXPERIMENT_CANNOT_RUN' as const;

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

export const isExperimentCannotRunError = (error: unknown): error is ExperimentCannotRunError => isFaultlineError(error, 'EXPERIMENT_CANNOT_RUN');

/** Parts of an experiment the runner does not implement yet; refused before anything is injected. */
export class ExperimentUnsupportedError extends FaultlineError<'EXPERIMENT_UNSUPPORTED'> {
  readonly code = 'EXPERIMENT_UNSUPPORTED' as const;

  constructor(
    readonly experiment: string,
    readonly parts: readonly string[],
  ) {
    super(`experiment "${experiment}" uses what this runner does not support yet:\n${parts.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const isExperimentUnsupportedError = (error: unknown): error is ExperimentUnsupportedError => isFaultlineError(error, 'EXPERIMENT_UNSUPPORTED');

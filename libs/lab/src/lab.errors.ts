import { FaultlineError } from '#libs/errors';

export class LabAlreadyRunningError extends FaultlineError<'LAB_ALREADY_RUNNING'> {
  readonly code = 'LAB_ALREADY_RUNNING' as const;

  constructor(
    readonly running: string,
    readonly wanted: string,
  ) {
    super(`a "${running}" lab is running in this state directory; stop it first with: faultline down   (then: faultline up --profile ${wanted})`);
  }
}

export class ComponentStartError extends FaultlineError<'COMPONENT_START_FAILED'> {
  readonly code = 'COMPONENT_START_FAILED' as const;

  constructor(
    readonly componentId: string,
    readonly logFile: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${componentId} did not start: ${reason}\n  its log: ${logFile}   (or: faultline logs ${componentId})`, options);
  }
}

// Experiments as documents: the schema (zod, and the published JSON Schema), loading with field and line in every
// error, the checks against a topology, and the built-in catalogue in chaos/experiments/.
export { durationToMs, msToDuration, DURATION_PATTERN } from './duration.schema.js';
export type { ComponentTargetSpec, LinkSelectorSpec } from './targets.schema.js';
export { sliNames, type HealthProbe, type HttpProbe, type Probe, type SliName, type SliProbe, type SqlProbe, type Tolerance } from './probe.schema.js';
export { experimentFaultTypes, type ExperimentFault, type ExperimentFaultType } from './fault.schema.js';
export type { AssertionCheckName, ExperimentAssertion } from './assertion.schema.js';
export {
  experimentSchema,
  type Experiment,
  type ExperimentDocument,
  type MethodStep,
  type RollbackStep,
  type StopCondition,
  type WorkloadSpec,
} from './experiment.schema.js';
export {
  ExperimentCatalogueMissingError,
  ExperimentInvalidError,
  UnknownExperimentError,
  isExperimentInvalidError,
  isUnknownExperimentError,
  type ExperimentIssue,
} from './experiment.errors.js';
export { experimentFromText, experimentFromValue, loadExperimentFile, type LoadExperimentOptions } from './load-experiment.js';
export { defineExperiment } from './define-experiment.js';
export { checkExperimentTargets } from './experiment-targets.js';
export { experimentJsonSchema, experimentJsonSchemaFile, experimentJsonSchemaText } from './experiment-json-schema.js';
export {
  builtInExperimentFile,
  builtInExperimentsDir,
  listBuiltInExperiments,
  loadBuiltInExperiment,
  resolveExperiment,
  type BuiltInExperiment,
  type ResolvedExperiment,
} from './catalogue.js';

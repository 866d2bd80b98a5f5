import type { ExperimentDocument } from './experiment.schema.js';

/**
 * Types an experiment written in TypeScript exactly as a YAML one is written (durations as `10s`, defaults
 * optional) and returns it unchanged; `experimentFromValue` validates it like a file before it runs.
 */
export const defineExperiment = (doc: ExperimentDocument): ExperimentDocument => doc;

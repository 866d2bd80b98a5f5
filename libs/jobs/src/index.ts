// Background jobs on BullMQ with the lab's conventions: job ids derived from events, retries with
// exponential backoff, dead letters kept visible, stalled-job recovery within seconds, metrics. See ../README.md.
export { JobQueue, type DeadLetter, type EnqueueResult, type JobQueueOptions } from './job-queue.js';
export { JobWorker, type CloseOptions, type JobContext, type JobProcessor, type JobWorkerOptions } from './job-worker.js';
export { jobIdFor } from './job-id.js';
export {
  EnqueueTimeoutError,
  InvalidJobIdError,
  isEnqueueTimeoutError,
  isInvalidJobIdError,
  isPermanentJobError,
  PermanentJobError,
} from './job.errors.js';
export {
  DEFAULT_PREFIX,
  DEFAULT_RETRY,
  DEFAULT_STALLED,
  jobOptionsOf,
  KEEP_COMPLETED,
  stalledOptionsOf,
  type RetrySettings,
  type StalledJobSettings,
} from './job-settings.js';
export { DEPTH_STATES, jobMetrics, type DepthState, type FailureOutcome, type JobMetrics, type QueueDepth } from './job-metrics.js';
export { closeJobConnection, createQueueConnection, createWorkerConnectionTemplate, type JobConnectionOptions } from './redis-connections.js';
export { withDeadline } from './deadline.js';
export type { JobLog, JobLogLevel } from './job-log.js';

import { createWorkerApp } from '../../../apps/worker/src/worker.app.js';
import { describeAppContract } from './support/app-contract.js';

await describeAppContract({
  app: 'worker',
  create: createWorkerApp,
  dependencies: ['redis', 'nats', 'postgres'],
  checks: ['redis', 'nats', 'postgres:shard0'],
});

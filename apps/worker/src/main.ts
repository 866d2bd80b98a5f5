// Entry point of a worker instance; the environment contract is in libs/config/README.md.
import { runMain } from '#libs/observability';
import { createWorkerApp } from './worker.app.js';

await runMain('worker', createWorkerApp);

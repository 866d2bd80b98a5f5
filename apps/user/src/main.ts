// Entry point of a user service instance; the environment contract is in libs/config/README.md.
import { runMain } from '#libs/observability';
import { createUserApp } from './user.app.js';

await runMain('user', createUserApp);

// Entry point of a media service instance; the environment contract is in libs/config/README.md.
import { runMain } from '#libs/observability';
import { createMediaApp } from './media.app.js';

await runMain('media', createMediaApp);

// Entry point of a gateway instance; the environment contract is in libs/config/README.md.
import { runMain } from '#libs/observability';
import { createGatewayApp } from './gateway.app.js';

await runMain('gateway', createGatewayApp);

import type { TopologySpecInput } from '../topology.spec-schema.js';

export const fullProfile: TopologySpecInput = {
  name: 'full',
  description:
    'Two data centers behind a geo front; per DC a load balancer over 2 gateways, user, media, worker, Redis, a NATS node and a CDN edge; two shards with their primaries in different DCs and replicas across.',
  dataCenters: [
    { id: 'dc-a', region: 'eu', gateways: 2, user: 1, media: 1, worker: 1 },
    { id: 'dc-b', region: 'us', gateways: 2, user: 1, media: 1, worker: 1 },
  ],
  shards: [
    { primary: 'dc-a', replicas: ['dc-b'] },
    { primary: 'dc-b', replicas: ['dc-a'] },
  ],
  monitor: { dc: 'dc-a' },
};

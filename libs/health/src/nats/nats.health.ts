import type { NatsConnection } from '@nats-io/transport-node';
import type { HealthCheck } from '../health-check.js';

/**
 * `nats`: the connection must be up and a PING must come back (a flush), which also catches a
 * server that accepts nothing any more while the socket still looks open.
 * @param connection the connection in use, or a rejection saying why there is none.
 */
export function natsHealthCheck(connection: () => Promise<NatsConnection>): HealthCheck {
  return {
    name: 'nats',
    async run() {
      const nc = await connection();
      await nc.rtt();
      return { server: nc.getServer() };
    },
  };
}

/** Size of the port range the lab may use above its base. */
export const PORT_RANGE_SIZE = 500;

/** Linux's default first ephemeral port (net.ipv4.ip_local_port_range): outgoing connections get ports from here up. */
export const EPHEMERAL_PORTS_FROM = 32_768;

/** The highest base whose whole range stays below the ephemeral ports. */
export const MAX_PORT_BASE = EPHEMERAL_PORTS_FROM - PORT_RANGE_SIZE;

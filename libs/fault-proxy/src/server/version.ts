/** The Toxiproxy release whose API this server reproduces, reported by GET /version. */
export const TOXIPROXY_API_VERSION = '2.12.0';

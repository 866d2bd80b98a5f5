/**
 * The NATS header a caller puts on a request: when it stops waiting for the answer, in milliseconds since
 * the epoch. A service that gets to a request after that skips it (answering DEADLINE_EXCEEDED) and stops
 * work it has not started yet, so a backlog of abandoned requests cannot keep a saturated service busy
 * while its callers time out on every fresh one (a metastable failure).
 *
 * An absolute time rather than gRPC's relative `grpc-timeout`: every process of a lab shares one clock, and
 * only an absolute deadline counts the time a request waited in a saturated service's socket buffers.
 */
export const REQUEST_DEADLINE_HEADER = 'Faultline-Deadline';

/** The deadline a header carries, or undefined when there is none or it is not a positive integer. */
export function parseRequestDeadline(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  const deadline = Number(raw);
  return deadline > 0 ? deadline : undefined;
}

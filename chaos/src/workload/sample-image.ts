/**
 * A valid 1×1 PNG: the media service sniffs the bytes (not the declared type) and the worker makes a
 * thumbnail of it with sharp, so the upload must be a real image — the smallest one keeps the workload about
 * the system, not about bandwidth.
 */
export const SAMPLE_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

// The service side of NATS request-reply: validation at the boundary, coded refusals, per-handler metrics.
export { MessageMetrics, type HandlerOutcome } from './message-metrics.js';
export { serveMessage, type ErrorTranslator, type ServeMessageDeps } from './serve-message.js';

// The service side of NATS request-reply: validation at the boundary, coded refusals, per-handler metrics.
export { MessageMetrics, type HandlerOutcome } from './message-metrics.js';
export { deadlineOf, serveMessage, type ErrorTranslator, type MessageContext, type MessageHeaders, type ServeMessageDeps } from './serve-message.js';

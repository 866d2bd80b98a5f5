// SLOs as OpenSLO-shaped documents → Prometheus recording rules and burn-rate alerts, and the arithmetic of
// error budgets and burn rates. See ../README.md.
export type { Slo, SloThreshold } from './slo.model.js';
export { ALERT_WINDOWS, BURN_RATE_POLICIES, sloWindows, type AlertWindow, type BurnRatePolicy } from './burn-rate-policies.js';
export { formatPrometheusDuration, parsePrometheusDuration } from './prometheus-duration.js';
export { isSloDocumentError, isSloRuleOptionsError, SloDocumentError, SloRuleOptionsError, type SloFileIssues } from './slo.errors.js';
export { sloDocumentSchema, type SloDocument } from './slo-document.schema.js';
export { loadSlos, sloFromText, SLO_FILE_EXTENSIONS } from './load-slos.js';
export { SHIPPED_SLO_DIR } from './shipped-slo-dir.js';
export {
  errorRatioExpression,
  errorRatioRecord,
  errorRatioSeries,
  MIN_SCRAPES_PER_RANGE,
  renderPrometheusRules,
  scaledRange,
  SLO_ALERT_NAME,
  thresholdExpression,
  type SloRuleOptions,
} from './render-prometheus-rules.js';
export { EXHAUSTION_WINDOW, sloStatus, type SloAlertStatus, type SloStatus } from './slo-status.js';

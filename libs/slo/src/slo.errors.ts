import { formatDocumentIssues, type DocumentIssue } from '#libs/documents';
import { FaultlineError, isFaultlineError } from '#libs/errors';

/** The problems of one SLO file: each issue has its field path, its line when known, and what to write instead. */
export interface SloFileIssues {
  readonly file: string;
  readonly issues: readonly DocumentIssue[];
}

/**
 * SLO documents were refused: every invalid file is listed, each with every issue at once
 * (`slo/api-latency.yaml:\n  spec.objectives.0.target (line 24): must be less than 1`).
 */
export class SloDocumentError extends FaultlineError<'SLO_DOCUMENT_INVALID'> {
  readonly code = 'SLO_DOCUMENT_INVALID' as const;
  /** The first invalid file and its issues (most callers load one). */
  readonly file: string;
  readonly issues: readonly DocumentIssue[];

  constructor(readonly files: readonly [SloFileIssues, ...SloFileIssues[]]) {
    super(files.map(({ file, issues }) => `invalid SLO document ${file}:\n${formatDocumentIssues(issues)}`).join('\n'));
    this.file = files[0].file;
    this.issues = files[0].issues;
  }
}

export const isSloDocumentError = (error: unknown): error is SloDocumentError => isFaultlineError(error, 'SLO_DOCUMENT_INVALID');

/** `renderPrometheusRules` was given a time scale or scrape interval it cannot use. */
export class SloRuleOptionsError extends FaultlineError<'SLO_RULE_OPTIONS_INVALID'> {
  readonly code = 'SLO_RULE_OPTIONS_INVALID' as const;

  constructor(readonly option: 'timeScale' | 'scrapeIntervalSeconds', value: unknown, why: string) {
    super(`${option} ${why} (got ${String(value)})`);
  }
}

export const isSloRuleOptionsError = (error: unknown): error is SloRuleOptionsError => isFaultlineError(error, 'SLO_RULE_OPTIONS_INVALID');

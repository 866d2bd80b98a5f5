export { formatDocumentIssues, type DocumentIssue, type LineOf } from './document-issue.js';
export { parseYamlOrJsonFile, parseYamlOrJsonWithLines, type ParsedText } from './parse-yaml-or-json.js';
export { documentErrorMap } from './document-error-map.js';
export { didYouMean } from './did-you-mean.js';
export { issuesWithLines, validateDocument, validateDocumentText, type Validated } from './validate-document.js';

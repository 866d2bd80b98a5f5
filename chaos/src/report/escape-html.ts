const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values for HTML and SVG: everything from a run (names, error messages, witnesses) goes through it. */
export const escapeHtml = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Text for XML (JUnit): the same entities, and the characters XML 1.0 cannot hold at all dropped. */
// eslint-disable-next-line no-control-regex
export const escapeXml = (value: unknown): string => escapeHtml(value).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

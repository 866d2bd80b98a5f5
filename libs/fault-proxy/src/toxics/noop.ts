import { defineToxicType, PassThrough } from './toxic-type.js';

/** Passes data unchanged: useful to see that a toxic is wired without changing the traffic. */
export const noopToxic = defineToxicType({
  name: 'noop',
  attributeNames: [],
  goStructName: 'NoopToxic',
  start: (host, attributes) => new PassThrough(host, attributes),
});

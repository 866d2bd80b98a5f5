import { linkKinds, selectLinks, type Link, type LinkKind, type LinkSelector, type Topology } from '#libs/topology';
import { FaultTargetError } from './fault.errors.js';

const KEYS = ['name', 'from', 'to', 'kind', 'between', 'oneWay'] as const;

/** What `--link` accepts, for messages. */
export const LINK_SELECTOR_HELP =
  'a link name (dc-a.gateway-1->dc-a.redis), FROM->TO where each end is a component, a DC, a component kind or * ' +
  '(dc-a->dc-b, *->postgres), or key=value pairs separated by commas: from=, to=, kind=, between=dc-a:dc-b, oneWay=true';

/**
 * Parses a `--link` selector. `A->B` is a link's own name when such a link exists, else "from A to B"
 * (`*` for any end). Throws FaultTargetError saying what to type instead.
 */
export function parseLinkSelector(text: string, topology: Topology): LinkSelector {
  const trimmed = text.trim();
  if (topology.links.some((link) => link.name === trimmed)) return { name: trimmed };
  if (!trimmed.includes('=')) {
    const arrow = trimmed.split('->');
    if (arrow.length !== 2) throw new FaultTargetError(`cannot read the link selector "${text}": use ${LINK_SELECTOR_HELP}`, []);
    const [from, to] = arrow.map((end) => end.trim());
    return { ...(from && from !== '*' && { from }), ...(to && to !== '*' && { to }) };
  }
  const selector: { -readonly [K in keyof LinkSelector]: LinkSelector[K] } = {};
  for (const pair of trimmed.split(',')) {
    const [key, ...rest] = pair.split('=');
    const value = rest.join('=').trim();
    const name = key?.trim() as (typeof KEYS)[number];
    if (!KEYS.includes(name) || value === '') throw new FaultTargetError(`cannot read "${pair}" in the link selector: use ${LINK_SELECTOR_HELP}`, []);
    if (name === 'kind') {
      if (!(linkKinds as readonly string[]).includes(value)) throw new FaultTargetError(`unknown link kind "${value}"`, linkKinds);
      selector.kind = value as LinkKind;
    } else if (name === 'between') {
      const dcs = value.split(':');
      if (dcs.length !== 2 || !dcs[0] || !dcs[1]) throw new FaultTargetError(`between= takes two data centers as between=dc-a:dc-b (got "${value}")`, topology.dataCenters.map((dc) => dc.id));
      selector.between = [dcs[0], dcs[1]];
    } else if (name === 'oneWay') {
      selector.oneWay = value === 'true';
    } else {
      selector[name] = value;
    }
  }
  return selector;
}

/** The links a selector picks; none is an error that lists what exists. */
export function resolveLinks(topology: Topology, selector: LinkSelector, asTyped: string): Link[] {
  const links = selectLinks(topology, selector);
  if (links.length > 0) return links;
  const ends = [...new Set([...topology.components.map((c) => c.id), ...topology.dataCenters.map((dc) => dc.id), ...topology.components.map((c) => c.kind)])].sort();
  throw new FaultTargetError(
    `the link selector "${asTyped}" matches no link of lab "${topology.name}". Ends can be: ${ends.join(', ')}. See every link with: faultline status --links`,
    topology.links.map((link) => link.name),
  );
}

/** The links cut by a partition between two DCs (one direction with `oneWay`); checks both are DCs. */
export function partitionLinks(topology: Topology, a: string, b: string, oneWay: boolean): Link[] {
  const dcs = topology.dataCenters.map((dc) => dc.id);
  for (const dc of [a, b]) if (!dcs.includes(dc)) throw new FaultTargetError(`"${dc}" is not a data center of lab "${topology.name}"; data centers: ${dcs.join(', ')}`, dcs);
  if (a === b) throw new FaultTargetError('a partition needs two different data centers, e.g. faultline fault partition dc-a dc-b', dcs);
  return resolveLinks(topology, { between: [a, b], oneWay }, `between=${a}:${b}${oneWay ? ',oneWay=true' : ''}`);
}

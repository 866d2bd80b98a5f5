import type { ToxicSpec } from '#libs/fault-proxy';
import type { LinkFaultSpec } from '../fault-spec.js';

/** The toxics one link fault adds to each of its links (none for `link-down`, which disables the proxy). */
export type ToxicPlan<K extends LinkFaultSpec['kind'] = LinkFaultSpec['kind']> = (spec: Extract<LinkFaultSpec, { kind: K }>) => readonly ToxicSpec[];

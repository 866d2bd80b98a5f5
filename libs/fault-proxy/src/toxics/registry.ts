import { bandwidthToxic } from './bandwidth.js';
import { latencyToxic } from './latency.js';
import { limitDataToxic } from './limit-data.js';
import { noopToxic } from './noop.js';
import { resetPeerToxic } from './reset-peer.js';
import { slicerToxic } from './slicer.js';
import { slowCloseToxic } from './slow-close.js';
import { timeoutToxic } from './timeout.js';
import type { ToxicType } from './toxic-type.js';

/** Every toxic type the server knows, by the name the API uses (matched exactly, as in Go). */
const toxicTypes: ReadonlyMap<string, ToxicType> = new Map<string, ToxicType>(
  [latencyToxic, bandwidthToxic, slowCloseToxic, timeoutToxic, resetPeerToxic, slicerToxic, limitDataToxic, noopToxic].map(
    (type) => [type.name, type as ToxicType],
  ),
);

export const findToxicType = (name: string): ToxicType | undefined => toxicTypes.get(name);

export const toxicTypeNames = (): string[] => [...toxicTypes.keys()];

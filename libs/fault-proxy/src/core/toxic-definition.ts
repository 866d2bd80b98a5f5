import { float32ToJsonNumber } from '../api/go-json.js';
import type { ToxicType } from '../toxics/toxic-type.js';

/** `upstream` is client → server, `downstream` server → client. */
export type Direction = 'upstream' | 'downstream';

export const directions: readonly Direction[] = ['upstream', 'downstream'];

/** A toxic as configured on a proxy (the per-connection work is a RunningToxic). */
export interface ToxicDefinition {
  readonly name: string;
  readonly type: ToxicType;
  /** As the client wrote it: the real server accepts any case and echoes it back unchanged. */
  readonly stream: string;
  readonly direction: Direction;
  /** Probability (float32) that the toxic acts on a given connection and direction. */
  readonly toxicity: number;
  /** Every attribute of the type, missing ones 0. */
  readonly attributes: Readonly<Record<string, number>>;
}

export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: string;
  stream: string;
  toxicity: number;
}

/** The real server's field order: attributes, name, type, stream, toxicity. */
export function toxicToJson(toxic: ToxicDefinition): ToxicJson {
  const attributes: Record<string, number> = {};
  for (const name of toxic.type.attributeNames) attributes[name] = toxic.attributes[name] ?? 0;
  return { attributes, name: toxic.name, type: toxic.type.name, stream: toxic.stream, toxicity: float32ToJsonNumber(toxic.toxicity) };
}

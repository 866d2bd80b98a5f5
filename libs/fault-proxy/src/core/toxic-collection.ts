import type { Direction, ToxicDefinition } from './toxic-definition.js';

/**
 * A proxy's toxics: one ordered chain per direction (creation order), names unique across both.
 * Reading order for the API is upstream chain first, then downstream.
 */
export class ToxicCollection {
  private readonly chains: Record<Direction, ToxicDefinition[]> = { upstream: [], downstream: [] };

  get(name: string): ToxicDefinition | undefined {
    return this.chains.upstream.find((t) => t.name === name) ?? this.chains.downstream.find((t) => t.name === name);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  chain(direction: Direction): readonly ToxicDefinition[] {
    return this.chains[direction];
  }

  list(): ToxicDefinition[] {
    return [...this.chains.upstream, ...this.chains.downstream];
  }

  get size(): number {
    return this.chains.upstream.length + this.chains.downstream.length;
  }

  add(toxic: ToxicDefinition): void {
    this.chains[toxic.direction].push(toxic);
  }

  /** Swaps in a changed definition at the same place in its chain. */
  replace(toxic: ToxicDefinition): void {
    const chain = this.chains[toxic.direction];
    chain[chain.findIndex((t) => t.name === toxic.name)] = toxic;
  }

  remove(name: string): ToxicDefinition | undefined {
    for (const direction of ['upstream', 'downstream'] as const) {
      const chain = this.chains[direction];
      const index = chain.findIndex((t) => t.name === name);
      if (index >= 0) return chain.splice(index, 1)[0];
    }
    return undefined;
  }
}

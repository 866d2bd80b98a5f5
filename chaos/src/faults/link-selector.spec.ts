import { describe, expect, it } from '@jest/globals';
import { loadProfile } from '#libs/topology';
import { isFaultTargetError } from './fault.errors.js';
import { parseLinkSelector, partitionLinks, resolveLinks } from './link-selector.js';

const full = loadProfile('full');
const minimal = loadProfile('minimal');

const pick = (text: string) => resolveLinks(full, parseLinkSelector(text, full), text);

describe('link selectors', () => {
  it('takes a link by its own name', () => {
    const name = full.links[0]!.name;
    expect(pick(name).map((l) => l.name)).toEqual([name]);
  });

  it('reads FROM->TO with components, DCs, kinds and * as ends', () => {
    const toRedis = pick('dc-a.gateway-1->dc-a.redis');
    expect(toRedis.map((l) => l.name)).toEqual(['dc-a.gateway-1->dc-a.redis']);
    const intoPostgres = pick('*->postgres');
    expect(intoPostgres.length).toBeGreaterThan(0);
    expect(intoPostgres.every((l) => l.to.startsWith('shard'))).toBe(true);
    const crossing = pick('dc-a->dc-b');
    expect(crossing.length).toBeGreaterThan(0);
    expect(crossing.every((l) => l.fromDc === 'dc-a' && l.toDc === 'dc-b')).toBe(true);
  });

  it('reads key=value pairs, and a partition picks every crossing link in both directions and nothing inside a DC', () => {
    const both = pick('between=dc-a:dc-b');
    expect(both.some((l) => l.fromDc === 'dc-b' && l.toDc === 'dc-a')).toBe(true);
    expect(both.every((l) => l.fromDc !== l.toDc)).toBe(true);
    expect(partitionLinks(full, 'dc-a', 'dc-b', false).map((l) => l.name).sort()).toEqual(both.map((l) => l.name).sort());
    const oneWay = partitionLinks(full, 'dc-a', 'dc-b', true);
    expect(oneWay.every((l) => l.fromDc === 'dc-a' && l.toDc === 'dc-b')).toBe(true);
    expect(pick('kind=nats-route').every((l) => l.kind === 'nats-route')).toBe(true);
  });

  it('refuses what matches nothing or cannot be read, saying what exists', () => {
    const refused = (work: () => unknown): string => {
      try {
        work();
      } catch (error) {
        expect(isFaultTargetError(error)).toBe(true);
        return (error as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused(() => pick('dc-a->dc-z'))).toMatch(/matches no link.*dc-a\.redis/s);
    expect(refused(() => pick('kind=carrier-pigeon'))).toMatch(/unknown link kind/);
    expect(refused(() => parseLinkSelector('dc-a', full))).toMatch(/FROM->TO/);
    expect(refused(() => partitionLinks(minimal, 'dc-a', 'dc-b', false))).toMatch(/"dc-b" is not a data center/);
  });
});

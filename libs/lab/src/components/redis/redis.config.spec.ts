import { describe, expect, it } from '@jest/globals';
import { loadProfile } from '#libs/topology';
import { labPaths } from '../../lab-paths.js';
import { redisConfig } from './redis.config.js';

describe('redisConfig', () => {
  const topology = loadProfile('full');
  const redis = topology.components.find((c) => c.id === 'dc-b.redis')!;
  const conf = redisConfig(redis, labPaths('/srv/my lab'));
  const lines = conf.split('\n');

  it('listens on the component address only, in the foreground', () => {
    expect(lines).toContain(`bind ${redis.host}`);
    expect(lines).toContain(`port ${redis.port}`);
    expect(lines).toContain('daemonize no');
    expect(lines).toContain('logfile ""');
  });

  it('keeps its data in the lab data dir (quoted) with an AOF fsynced every second and no RDB snapshots', () => {
    expect(lines).toContain('dir "/srv/my lab/data/dc-b.redis"');
    expect(lines).toContain('appendonly yes');
    expect(lines).toContain('appendfsync everysec');
    expect(lines).toContain('save ""');
  });

  it('never evicts keys (BullMQ needs noeviction)', () => {
    expect(lines).toContain('maxmemory-policy noeviction');
  });
});

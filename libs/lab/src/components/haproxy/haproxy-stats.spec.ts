import { describe, expect, it } from '@jest/globals';
import { parseStatsCsv } from './haproxy-stats.js';

// Trimmed from a real HAProxy 2.6 `/stats;csv` (the parser looks columns up by name).
const csv = `# pxname,svname,qcur,qmax,scur,status,weight,act,bck,check_status,check_code
http,FRONTEND,,,0,OPEN,,,,,
gateways,dc-a.gateway-1,0,0,0,UP,1,1,0,L7OK,200
gateways,dc-a.gateway-2,0,0,0,DOWN 1/2,1,1,0,L7OK,200
gateways,dc-a.gateway-3,0,0,0,UP 1/2,1,1,0,L4CON,
gateways,dc-a.gateway-4,0,0,0,MAINT,1,1,0,,
gateways,BACKEND,0,0,0,UP,2,2,0,,
dc-b.lb,dc-a.lb,0,0,0,DOWN,1,0,1,,
stats,FRONTEND,,,1,OPEN,,,,,
`;

describe('parseStatsCsv', () => {
  it('gives one entry per server with its state, skipping frontends, backend totals and the stats proxy', () => {
    expect(parseStatsCsv(csv).map((s) => [s.backend, s.server, s.state, s.up, s.backup, s.check])).toEqual([
      ['gateways', 'dc-a.gateway-1', 'UP', true, false, 'L7OK'],
      ['gateways', 'dc-a.gateway-2', 'DOWN', false, false, 'L7OK'],
      ['gateways', 'dc-a.gateway-3', 'UP', true, false, 'L4CON'],
      ['gateways', 'dc-a.gateway-4', 'MAINT', false, false, ''],
      ['dc-b.lb', 'dc-a.lb', 'DOWN', false, true, ''],
    ]);
  });

  it('refuses what is not HAProxy CSV', () => {
    expect(() => parseStatsCsv('<html>')).toThrow('not HAProxy CSV stats');
  });
});

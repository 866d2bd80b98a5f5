import type { TopologySpecInput } from '../topology.spec-schema.js';
import { fullProfile } from './full.profile.js';
import { minimalProfile } from './minimal.profile.js';

export const builtInProfiles: Readonly<Record<string, TopologySpecInput>> = {
  minimal: minimalProfile,
  full: fullProfile,
};

export * from './topology.model.js';
export * from './topology.spec-schema.js';
export { deriveTopology, fixedPortOffsets, POSTGRES_NODE_HOST } from './derive-topology.js';
export { EPHEMERAL_PORTS_FROM, MAX_PORT_BASE, PORT_RANGE_SIZE } from './port-range.js';
export { builtInProfileNames, loadProfile, loadTopologyFile, resolveTopology, topologyFromSpec, topologyFromText, type TopologyOverrides } from './load-topology.js';
export { InvalidTopologyError, UnknownProfileError, type TopologyIssue } from './topology.errors.js';
export { builtInProfiles } from './profiles/index.js';
export { selectLinks, type LinkSelector } from './select-links.js';
export { renderMermaid } from './render-mermaid.js';

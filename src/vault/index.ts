export * from './vault.js';
export * from './audit-events.js';
export * from './prune.js';
export * from './chain.js';

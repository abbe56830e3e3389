export * from './manifest.js';
export * from './writer.js';
export * from './reader.js';
export { canonicalJson } from '../json.js';
export { cleanupStaleTemps } from '../fs/atomic.js';

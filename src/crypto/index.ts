export * from './age.js';
export * from './keys.js';
export * from './minisign.js';
export { blake2b } from './blake2b.js';

/** Graph access: the public surface of src/graph. */
export type * from './types.js';
export { createGraphClient, TransportGraphClient, isResyncRequired, subResponseCode, MAX_BATCH } from './client.js';
export type { GraphClientOptions } from './client.js';
export { batchAll, chunkBatchRequests } from './batch.js';
export type { BatchAllOptions } from './batch.js';
export { redactPath } from './logging.js';
export {
  Pacer,
  ThrottleGate,
  Semaphore,
  retryAfterMs,
  retryOnLag,
  isLagResponse,
  isLagError,
  retryLaggedCall,
  subRequestRetry,
  LAG_DELAYS_MS,
  RETRY_ON_LAG_HEADER,
} from './pacing.js';
export type { PacingOptions } from './pacing.js';
export { StatsCollector } from './stats.js';
export { graphTransport, resolveUrl } from './transport.js';
export type { TransportOptions } from './transport.js';
export { GraphError, UnparsedBody, errorFromResponse, unavailableError, missingPermission } from './errors.js';
export type { GraphErrorDetails } from './errors.js';
export { credentialForProfile, EmulatorClientSecretCredential, CachedTokenProvider, scopeFor } from './auth.js';
export type { TokenProvider, DeviceCodePromptInfo, CredentialOptions } from './auth.js';
export { readOnlyGraph } from './dryrun.js';
export { ShardedGraphClient, createGraphClientForApps, checkRecoveryApps } from './shard.js';
export type { GraphShard, ShardStats } from './shard.js';

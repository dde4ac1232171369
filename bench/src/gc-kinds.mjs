// The garbage collection kinds Node reports on `gc` performance entries, by name (gc-pauses.mjs, stalls.mjs).
import { constants } from 'node:perf_hooks';

export const GC_KINDS = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
};

import { CLASS_INDEX, TIMEOUT_INDEX } from './api-minute.js';

export const MIN_STATUS = 100;
export const MAX_STATUS = 599;

/**
 * The class index (CALL_CLASSES order) of a call: null status = a timeout (no response). A 1xx status is the
 * final answer of a call only for protocol switches (101 for a WebSocket upgrade), which succeeded: it counts
 * as 2xx, so a log of upgrades is neither refused nor counted as failures. Undefined for anything outside
 * 100–599 or not an integer (the caller refuses the record).
 */
export function callClassOf(status: number | null): number | undefined {
  if (status === null) return TIMEOUT_INDEX;
  if (!Number.isInteger(status) || status < MIN_STATUS || status > MAX_STATUS) return undefined;
  if (status < 300) return CLASS_INDEX['2xx'];
  if (status < 400) return CLASS_INDEX['3xx'];
  if (status < 500) return CLASS_INDEX['4xx'];
  return CLASS_INDEX['5xx'];
}

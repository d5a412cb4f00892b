// How agents come back after losing the coordinator: both sides need the bound (the agent retries
// within it; a restarted coordinator waits at least that long for a node before counting it silent).

/** Longest wait between an agent's reconnection attempts (full-jitter exponential backoff up to this). */
export const AGENT_MAX_RECONNECT_MS = 4000;

/**
 * What a callback was (its kind) and what the store made of it (its outcome): the callback routes, the
 * refund callbacks and the callback log (src/callback-log/record.ts) all speak these words.
 */
export type CallbackKind = "order" | "refund" | "send_request"
export type CallbackOutcome = "accepted" | "forged" | "unknown" | "stale" | "malformed" | "transient"
export const CALLBACK_KINDS: readonly CallbackKind[] = ["order", "refund", "send_request"]
export const CALLBACK_OUTCOMES: readonly CallbackOutcome[] = ["accepted", "forged", "unknown", "stale", "malformed", "transient"]

import { RECENT_ORDER_TTL_MS } from "../coingate/recent-orders"

const MAX_KEPT = 1_000

/** Who verifies a callback delivered through Medusa's route: the provider (Medusa's subscriber) or the plugin's subscriber. */
export type Verifier = "provider" | "plugin"

/**
 * One verification per callback delivered through Medusa's `/hooks/payment/:provider` route. Medusa
 * emits one event for it, which two subscribers take: Medusa's own (through the provider's
 * `getWebhookActionAndData`) and the plugin's (src/subscribers/coingate-webhook.ts). Both verify the same
 * body; whichever comes second gets the first one's result (the order and when it was read) instead of
 * reading CoinGate again, once, within a few seconds. A verifier asking again for the same body (a new
 * delivery of it) verifies anew. Keyed by the posted callback itself (order, session, token, posted
 * status). A failure that may pass (CoinGate unreachable) is not kept. In process, bounded; keys live
 * only in memory.
 */
export class VerifiedCallbacks<T> {
  private readonly kept = new Map<string, { at: number; result: Promise<T>; takenBy: Set<Verifier> }>()

  constructor(
    private readonly ttlMs = RECENT_ORDER_TTL_MS,
    private readonly now: () => number = Date.now
  ) {}

  run(key: string, verifier: Verifier, verify: () => Promise<T>, keep: (result: T) => boolean): Promise<T> {
    const hit = this.kept.get(key)
    if (hit && this.now() - hit.at < this.ttlMs && !hit.takenBy.has(verifier)) {
      hit.takenBy.add(verifier)
      return hit.result
    }
    // Oldest first (insertion order): drop the expired ones, and the oldest when full.
    for (const [k, entry] of this.kept) {
      if (this.now() - entry.at >= this.ttlMs || this.kept.size >= MAX_KEPT) this.kept.delete(k)
      else break
    }
    const result = Promise.resolve().then(verify)
    this.kept.delete(key)
    this.kept.set(key, { at: this.now(), result, takenBy: new Set([verifier]) })
    const forget = () => {
      if (this.kept.get(key)?.result === result) this.kept.delete(key)
    }
    result.then((r) => (keep(r) ? undefined : forget()), forget)
    return result
  }

  get size(): number {
    return this.kept.size
  }
}

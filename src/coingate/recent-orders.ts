import type { CoinGateOrder } from "./types"

/** How long an order just read from CoinGate stands in for another read of it. */
export const RECENT_ORDER_TTL_MS = 5_000
const MAX_ORDERS = 1_000

/**
 * Orders the backend has just read from CoinGate's API and is applying, by CoinGate id. Applying a paid
 * order completes the cart, and Medusa's completion asks the provider to authorize the session, which
 * would read the same order again seconds after it was read: the provider answers from here instead
 * (one read, one decision per callback). Entries are seconds old at most, and only server code that
 * just read the order from the API puts one here (never a posted body). In process, bounded.
 */
export class RecentOrders {
  private readonly orders = new Map<string, { order: CoinGateOrder; at: number }>()

  constructor(
    private readonly ttlMs = RECENT_ORDER_TTL_MS,
    private readonly now: () => number = Date.now
  ) {}

  /** `readAt`: when the order was read from the API (default now); an older read expires sooner. */
  remember(order: CoinGateOrder, readAt?: number): void {
    const at = Math.min(readAt ?? this.now(), this.now())
    // Oldest first (insertion order): drop the expired ones, and the oldest when full.
    for (const [id, entry] of this.orders) {
      if (this.now() - entry.at >= this.ttlMs || this.orders.size >= MAX_ORDERS) this.orders.delete(id)
      else break
    }
    this.orders.delete(String(order.id))
    this.orders.set(String(order.id), { order, at })
  }

  forget(id: number | string): void {
    this.orders.delete(String(id))
  }

  /** The order if it was read less than the TTL ago, else null. */
  get(id: number | string): CoinGateOrder | null {
    const entry = this.orders.get(String(id))
    if (!entry) return null
    if (this.now() - entry.at >= this.ttlMs) {
      this.orders.delete(String(id))
      return null
    }
    return entry.order
  }
}

import { StoreApiError, type StoreClient } from "./client"
import { returnView, type ReturnView, type SyncAnswer } from "./return-state"

export type WatchOptions = {
  /** The CoinGate payment session the shopper came back from (the return URL's `{session_id}`). */
  sessionId: string
  /** Its cart (the return URL's `{cart_id}`), completed once CoinGate saw the payment; sent with each status check, it proves this is the checkout (the answer then names the order). */
  cartId: string
  /** Called with every view (and the order's display number once there is an order). */
  onView: (view: ReturnView & { displayId: number | null }) => void
  /** Called when the store could not be asked (the watcher keeps trying until its budget is spent). */
  onError?: (error: unknown) => void
  /** How long to keep asking (default 3 minutes). Delays start at 1 s and grow ×1.5 up to 5 s. */
  budgetMs?: number
  firstDelayMs?: number
  maxDelayMs?: number
  signal?: AbortSignal
  /** For tests. */
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

export type WatchResult = { view: (ReturnView & { displayId: number | null }) | null; timedOut: boolean }

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** The order's display number (#1042), which shoppers and the shop's emails use; null if it cannot be read. */
export async function orderDisplayId(client: StoreClient, orderId: string): Promise<number | null> {
  try {
    const { order } = await client<{ order: { display_id?: number } }>(`/store/orders/${encodeURIComponent(orderId)}?fields=id,display_id`)
    return typeof order?.display_id === "number" ? order.display_id : null
  } catch {
    return null
  }
}

/**
 * Where the payment stands. The session id alone gets the status only; with the session's cart id (the
 * storefront's own cart, or the return URL's `{cart_id}`) the answer also names the cart and the order.
 */
export async function syncPayment(client: StoreClient, sessionId: string, cartId?: string | null): Promise<SyncAnswer> {
  return client<SyncAnswer>(`/store/coingate/payment-sessions/${encodeURIComponent(sessionId)}/sync`, {
    method: "POST",
    body: cartId ? { cart_id: cartId } : {},
  })
}

/**
 * The return page's loop: asks the store where the payment stands, shows it (`onView`), completes
 * the cart when CoinGate saw the payment and the order is not placed yet (at most once per CoinGate
 * status: the callback may complete it first, which is fine), and stops at a final view or when the
 * budget is spent (then offer "Check again", which calls this again). A 503 from the sync route
 * (CoinGate cannot be asked now) waits for its Retry-After, bounded to 1-30 s.
 */
export async function watchCoinGateReturn(client: StoreClient, options: WatchOptions): Promise<WatchResult> {
  const sleep = options.sleep ?? defaultSleep
  const now = options.now ?? Date.now
  const until = now() + (options.budgetMs ?? 180_000)
  const maxDelay = options.maxDelayMs ?? 5000
  let delay = options.firstDelayMs ?? 1000
  let furthest: string | null = null
  const completedFor = new Set<string>()
  const displayIds = new Map<string, number | null>()
  let last: WatchResult["view"] = null

  while (!options.signal?.aborted) {
    let wait = delay
    try {
      const answer = await syncPayment(client, options.sessionId, options.cartId)
      const view = returnView(answer, furthest)
      furthest = view.coingateStatus
      let orderId = view.orderId
      if (view.completeCart && !completedFor.has(String(view.coingateStatus))) {
        completedFor.add(String(view.coingateStatus))
        orderId = (await completeOnce(client, options.cartId)) ?? orderId
      }
      if (orderId && !displayIds.has(orderId)) displayIds.set(orderId, await orderDisplayId(client, orderId))
      last = { ...view, orderId, displayId: orderId ? displayIds.get(orderId) ?? null : null }
      options.onView(last)
      if (view.final) return { view: last, timedOut: false }
      if (orderId && !view.orderId) wait = 0 // just placed: ask again now for the order's view
    } catch (e) {
      options.onError?.(e)
      if (e instanceof StoreApiError && e.status === 503) wait = Math.min(30_000, Math.max(1000, e.retryAfterMs ?? 5000))
      else if (e instanceof StoreApiError && e.status === 404) return { view: last, timedOut: false }
    }
    if (now() + wait > until) break
    await sleep(wait)
    delay = Math.min(Math.round(delay * 1.5), maxDelay)
  }
  return { view: last, timedOut: true }
}

/** `POST /store/carts/:id/complete`; the order's id when it placed one (or had one). A 400/409 means "not yet". */
async function completeOnce(client: StoreClient, cartId: string): Promise<string | null> {
  try {
    const done = await client<{ type: string; order?: { id: string } }>(`/store/carts/${encodeURIComponent(cartId)}/complete`, { method: "POST" })
    return done.type === "order" && done.order?.id ? done.order.id : null
  } catch {
    return null
  }
}

import { AsyncLocalStorage } from "async_hooks"

/**
 * How many CoinGate API requests reconciliation may make: a sliding one-minute window,
 * and a pause after CoinGate answers 429 (rate limited) that doubles while 429s keep
 * coming. Pure: the clock is passed in.
 *
 * CoinGate allows 200 requests per minute per API app (coingate-api.md §1.4), shared
 * with everything else the store does (creating invoices, verifying callbacks, the
 * shoppers' returns). Reconciliation keeps to its own, smaller share. Below it,
 * SharedRequestBudget: the one budget per API app that every request of the process
 * counts against, which keeps room for callbacks whatever the public routes are sent.
 */

/** Default share of CoinGate's 200 requests per minute that reconciliation may use. */
export const DEFAULT_RECONCILE_REQUESTS_PER_MINUTE = 60
/**
 * The least reconciliation may be given (kept at 2 so existing configurations stay valid; one
 * order costs one read now that cart completion reuses the order just read).
 */
export const MIN_RECONCILE_REQUESTS_PER_MINUTE = 2
/** The most reconciliation may be given: the rest of CoinGate's 200/min stays for checkouts and callbacks. */
export const MAX_RECONCILE_REQUESTS_PER_MINUTE = 150
/** First pause after a 429, doubled on each further 429, up to the maximum. */
export const RATE_LIMIT_BACKOFF_MS = 60_000
export const MAX_RATE_LIMIT_BACKOFF_MS = 15 * 60_000

const WINDOW_MS = 60_000

export class RequestBudget {
  readonly perMinute: number
  /** Times (ms) of the requests spent in the last minute, oldest first. */
  private spent: number[] = []
  private blockedUntil = 0
  private backoffLevel = 0

  constructor(perMinute: number = DEFAULT_RECONCILE_REQUESTS_PER_MINUTE) {
    if (!Number.isInteger(perMinute) || perMinute < 1) {
      throw new Error(`A request budget needs a whole number of requests per minute, at least 1 (got ${perMinute}).`)
    }
    this.perMinute = perMinute
  }

  private prune(now: number) {
    while (this.spent.length && this.spent[0] <= now - WINDOW_MS) this.spent.shift()
  }

  /** Requests still allowed at `now` (0 while paused after a 429). */
  remaining(now: number): number {
    if (now < this.blockedUntil) return 0
    this.prune(now)
    return Math.max(0, this.perMinute - this.spent.length)
  }

  /** Spends `n` requests if they fit; false (and nothing spent) otherwise. */
  tryTake(now: number, n = 1): boolean {
    if (this.remaining(now) < n) return false
    for (let i = 0; i < n; i++) this.spent.push(now)
    return true
  }

  /**
   * Records requests already made (a failed read the client retried): they count even
   * when they overdraw the window, so the next pass starts with less.
   */
  charge(now: number, n: number) {
    this.prune(now)
    for (let i = 0; i < n; i++) this.spent.push(now)
  }

  /** Gives back the `n` latest requests taken but not made (a reserve that was not needed). */
  refund(n: number) {
    this.spent.splice(Math.max(0, this.spent.length - n), n)
  }

  /** CoinGate answered 429: pause, twice as long as last time (up to 15 minutes). */
  noteRateLimited(now: number, retryAfterMs?: number): number {
    const backoff = Math.min(RATE_LIMIT_BACKOFF_MS * 2 ** this.backoffLevel, MAX_RATE_LIMIT_BACKOFF_MS)
    this.backoffLevel = Math.min(this.backoffLevel + 1, 10)
    this.blockedUntil = Math.max(this.blockedUntil, now + Math.max(backoff, retryAfterMs ?? 0))
    return this.blockedUntil
  }

  /** A request went through: the next 429 starts the backoff from the beginning again. */
  noteSuccess() {
    this.backoffLevel = 0
  }

  /** When the pause after a 429 ends (0 when not paused). */
  pausedUntil(now: number): number {
    return now < this.blockedUntil ? this.blockedUntil : 0
  }
}

/**
 * Reconciliation's requests per minute: the `reconcileRequestsPerMinute` option of the
 * CoinGate provider, else `COINGATE_RECONCILE_REQUESTS_PER_MINUTE`, else 60. Values
 * that are not whole numbers from 2 to 150 are refused with a message naming the fix.
 */
export function resolveRequestsPerMinute(
  providerOptions: Record<string, unknown> | undefined,
  env: Record<string, string | undefined> = process.env
): number {
  const fromOptions = providerOptions?.reconcileRequestsPerMinute
  const raw = fromOptions ?? (env.COINGATE_RECONCILE_REQUESTS_PER_MINUTE?.trim() || undefined)
  if (raw === undefined || raw === null || raw === "") return DEFAULT_RECONCILE_REQUESTS_PER_MINUTE
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN
  if (!Number.isInteger(n) || n < MIN_RECONCILE_REQUESTS_PER_MINUTE || n > MAX_RECONCILE_REQUESTS_PER_MINUTE) {
    const where = fromOptions !== undefined ? "`reconcileRequestsPerMinute`" : "COINGATE_RECONCILE_REQUESTS_PER_MINUTE"
    throw new Error(
      `CoinGate provider options: ${where} must be a whole number from ${MIN_RECONCILE_REQUESTS_PER_MINUTE} to ${MAX_RECONCILE_REQUESTS_PER_MINUTE} ` +
        `(CoinGate allows 200 requests per minute in all; got ${JSON.stringify(raw)}).`
    )
  }
  return n
}

/**
 * Who a CoinGate request is made for. `callback` is a real payment being verified and
 * also anything not tagged otherwise (a refund): those may use all of CoinGate's limit.
 * `checkout` is creating an invoice and Medusa's authorization read while the storefront
 * completes a cart: anyone with the publishable key can start those (issue 22, finding 6).
 * `public` is the shopper's return and the storefront's status check (anyone can send
 * those), `reconcile` the scheduled job, `admin` the admin's refresh.
 */
export type RequestClass = "callback" | "checkout" | "public" | "reconcile" | "admin"

/** CoinGate's limit per API app (coingate-api.md §1.4). */
export const COINGATE_REQUESTS_PER_MINUTE = 200

export type BudgetLimits = {
  /** What CoinGate allows in a minute. */
  total: number
  /** Kept for callbacks: the other classes together never use more than total - reserve. */
  callbackReserve: number
  /** Per-class ceilings; reconciliation also keeps to its own RequestBudget (`reconcileRequestsPerMinute`). */
  checkout: number
  public: number
  admin: number
  reconcile: number
}

export const DEFAULT_BUDGET_LIMITS: BudgetLimits = {
  total: COINGATE_REQUESTS_PER_MINUTE,
  callbackReserve: 40,
  // Invoices and cart completions: far above a store's checkouts per minute and process, and CoinGate
  // allows 500 invoices an hour per account anyway; a flood of anonymous checkouts stops here, not at a callback.
  checkout: 60,
  public: 40,
  admin: 40,
  reconcile: MAX_RECONCILE_REQUESTS_PER_MINUTE,
}

export type BudgetRefusal = { reason: "paused" | "class_share" | "callback_reserve"; retryAfterMs: number }

/**
 * One API app's CoinGate requests in this process, by class, over a sliding minute.
 * Callbacks are never refused (CoinGate's own limit is theirs); the other classes are
 * refused past their share, past what leaves the callbacks' reserve, and while paused
 * after a 429. Pure: the clock is passed in.
 */
export class SharedRequestBudget {
  readonly limits: BudgetLimits
  private readonly spent = new Map<RequestClass, number[]>()
  private blockedUntil = 0

  constructor(limits: Partial<BudgetLimits> = {}) {
    this.limits = { ...DEFAULT_BUDGET_LIMITS, ...limits }
  }

  private times(cls: RequestClass, now: number): number[] {
    let times = this.spent.get(cls)
    if (!times) this.spent.set(cls, (times = []))
    while (times.length && times[0] <= now - WINDOW_MS) times.shift()
    return times
  }

  /** Requests made in the last minute, by one class or all. */
  used(now: number, cls?: RequestClass): number {
    const classes = cls ? [cls] : ([...this.spent.keys()] as RequestClass[])
    return classes.reduce((n, c) => n + this.times(c, now).length, 0)
  }

  /** Spends one request of `cls` when allowed; otherwise says why and when to try again. */
  take(cls: RequestClass, now: number): BudgetRefusal | null {
    if (cls !== "callback") {
      if (now < this.blockedUntil) return { reason: "paused", retryAfterMs: this.blockedUntil - now }
      const own = this.times(cls, now)
      if (own.length >= this.limits[cls]) return { reason: "class_share", retryAfterMs: own[0] + WINDOW_MS - now }
      const others = (["checkout", "public", "admin", "reconcile"] as const).flatMap((c) => this.times(c, now)).sort((a, b) => a - b)
      const ceiling = Math.max(0, this.limits.total - this.limits.callbackReserve)
      if (others.length >= ceiling) {
        return { reason: "callback_reserve", retryAfterMs: (others[others.length - ceiling] ?? now) + WINDOW_MS - now }
      }
    }
    this.times(cls, now).push(now)
    return null
  }

  /** Counts a request made without asking (a retry of one already admitted). */
  charge(cls: RequestClass, now: number) {
    this.times(cls, now).push(now)
  }

  /** CoinGate answered 429: nothing but callbacks is sent for `ms`. */
  pause(now: number, ms: number) {
    this.blockedUntil = Math.max(this.blockedUntil, now + ms)
  }

  /** How long the pause after a 429 still lasts (0 when not paused). */
  pausedFor(now: number): number {
    return Math.max(0, this.blockedUntil - now)
  }
}

const requestClass = new AsyncLocalStorage<RequestClass>()

/** Runs `fn` with every CoinGate request it makes counted as `cls` (the client reads it). */
export function withRequestClass<T>(cls: RequestClass, fn: () => T): T {
  return requestClass.run(cls, fn)
}

/** The class of the CoinGate request being made: `callback` unless tagged. */
export function currentRequestClass(): RequestClass {
  return requestClass.getStore() ?? "callback"
}

import { AsyncLocalStorage } from "node:async_hooks"
import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/**
 * How many new CoinGate invoices one cart may cause, and what happened to the one being made
 * (issue 22, finding 6: 240 anonymous session creations on 2 carts made 199 invoices).
 *
 * 5 per cart in 10 minutes: a shopper's own checkout needs one invoice, and a new one only when
 * the cart's total or currency changes, the storefront asks for another email, return URL or
 * flow, or the invoice expired or was canceled on CoinGate's page (an unchanged request reuses
 * the open invoice: src/api/store/coingate/payment-sessions.ts). Five covers a shopper who edits
 * the cart and comes back to pay a few times in a row; past it the storefront gets 429 with
 * Retry-After. It holds an attacker with one cart to 30 invoices an hour, against CoinGate's 500
 * per account; many carts are held by the `checkout` share of the request budget
 * (src/coingate/request-budget.ts) and, at the edge, by a per-IP limit (docs/security.md).
 */
export const NEW_INVOICES_PER_CART = 5
export const NEW_INVOICE_WINDOW_MS = 10 * 60_000

/** A cart's invoices in the last 10 minutes, a list of times (ms), kept in Medusa's cache module. */
const countKey = (cartKey: string) => `coingate:new-invoices:${cartKey}`
/** The lock every new invoice of a cart is made under (see the route's middleware). */
export const newInvoiceLockKey = (cartKey: string) => `coingate:new-invoice:${cartKey}`

type CacheLike = { get<T>(key: string): Promise<T | null>; set(key: string, data: unknown, ttl?: number): Promise<void> }

// Medusa registers a cache module by default; a store that took it out counts in this process only.
const local = new Map<string, { data: unknown; until: number }>()
const processCache: CacheLike = {
  async get<T>(key: string) {
    const hit = local.get(key)
    return hit && hit.until > Date.now() ? (hit.data as T) : null
  },
  async set(key: string, data: unknown, ttl = 30) {
    local.set(key, { data, until: Date.now() + ttl * 1000 })
  },
}

/**
 * Medusa's cache module: Redis (`@medusajs/medusa/cache-redis`) when the store runs several
 * instances, so every server counts the same cart's invoices (docs/reliability.md); in memory otherwise.
 */
function cacheOf(container: MedusaContainer): CacheLike {
  try {
    return container.resolve<CacheLike>(Modules.CACHE)
  } catch {
    return processCache
  }
}

async function recentTimes(cache: CacheLike, cartKey: string, now: number): Promise<number[]> {
  const stored = await cache.get<unknown>(countKey(cartKey))
  return (Array.isArray(stored) ? stored : []).filter((t): t is number => typeof t === "number" && t > now - NEW_INVOICE_WINDOW_MS)
}

const ttlSeconds = Math.ceil(NEW_INVOICE_WINDOW_MS / 1000)

export type InvoiceSlot = { ok: true; takenAt: number } | { ok: false; retryAfterMs: number }

/**
 * Takes one of the cart's new-invoice slots, or says when the oldest frees up. Call it under
 * `newInvoiceLockKey(cartKey)`: the read and the write of the count are not atomic by themselves.
 */
export async function takeNewInvoiceSlot(container: MedusaContainer, cartKey: string, now = Date.now()): Promise<InvoiceSlot> {
  const cache = cacheOf(container)
  const times = await recentTimes(cache, cartKey, now)
  if (times.length >= NEW_INVOICES_PER_CART) {
    const oldest = Math.min(...times)
    return { ok: false, retryAfterMs: Math.max(1000, oldest + NEW_INVOICE_WINDOW_MS - now) }
  }
  // A new array: the in-memory cache keeps what it is given by reference.
  await cache.set(countKey(cartKey), [...times, now], ttlSeconds)
  return { ok: true, takenAt: now }
}

/** Gives a slot back: CoinGate said no invoice was made (a 4xx, a 429, or the budget never sent it). Same lock. */
export async function giveBackNewInvoiceSlot(container: MedusaContainer, cartKey: string, takenAt: number, now = Date.now()): Promise<void> {
  const cache = cacheOf(container)
  const times = await recentTimes(cache, cartKey, now)
  const at = times.indexOf(takenAt)
  if (at < 0) return
  await cache.set(countKey(cartKey), [...times.slice(0, at), ...times.slice(at + 1)], ttlSeconds)
}

/**
 * What became of the invoice request made while creating one session: `made` (CoinGate answered
 * with an order), `not_made` (CoinGate refused it with a 4xx or a 429, or the request budget kept
 * it from being sent), `unknown` (no clear answer: a 5xx, a timeout, an unreadable answer; an
 * invoice may exist). `retryAfterMs` comes with a 429 or a budget refusal.
 */
export type InvoiceAttempt = { outcome?: "made" | "not_made" | "unknown"; retryAfterMs?: number }

// One store per process even if this file is loaded twice (the provider and the routes may come from two copies).
const KEY = Symbol.for("medusa-payment-coingate.invoice-attempt")
const attempts: AsyncLocalStorage<InvoiceAttempt> = ((globalThis as any)[KEY] ??= new AsyncLocalStorage<InvoiceAttempt>())

/** Runs `fn` (Medusa's session workflow) so that the invoice request it makes reports into `attempt`. */
export function withInvoiceAttempt<T>(attempt: InvoiceAttempt, fn: () => T): T {
  return attempts.run(attempt, fn)
}

/** Called by the gateway when its `POST /v2/orders` ends; nothing to report to outside `withInvoiceAttempt`. */
export function reportInvoiceAttempt(result: InvoiceAttempt): void {
  const attempt = attempts.getStore()
  if (attempt) Object.assign(attempt, result)
}

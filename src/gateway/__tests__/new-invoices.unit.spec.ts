import { Modules } from "@medusajs/framework/utils"
import { CoinGateApiError, CoinGateBudgetError, CoinGateResponseError } from "../../coingate/client"
import { invoiceAttemptOf } from "../coingate-gateway"
import {
  giveBackNewInvoiceSlot,
  NEW_INVOICES_PER_CART,
  NEW_INVOICE_WINDOW_MS,
  reportInvoiceAttempt,
  takeNewInvoiceSlot,
  withInvoiceAttempt,
  type InvoiceAttempt,
} from "../new-invoices"

/** A container whose cache module stores JSON, as Redis does (no shared references). */
function containerWithCache() {
  const stored = new Map<string, { json: string; ttl?: number }>()
  const cache = {
    get: async (key: string) => (stored.has(key) ? JSON.parse(stored.get(key)!.json) : null),
    set: async (key: string, data: unknown, ttl?: number) => void stored.set(key, { json: JSON.stringify(data), ttl }),
  }
  const container = { resolve: (key: string) => (key === Modules.CACHE ? cache : undefined) } as any
  return { container, stored }
}

const T0 = 1_000_000_000

describe("new invoices per cart", () => {
  it(`allows ${NEW_INVOICES_PER_CART} in 10 minutes, then says when the oldest frees up`, async () => {
    const { container, stored } = containerWithCache()
    for (let i = 0; i < NEW_INVOICES_PER_CART; i++) expect(await takeNewInvoiceSlot(container, "cart_1", T0 + i * 1000)).toEqual({ ok: true, takenAt: T0 + i * 1000 })
    expect(await takeNewInvoiceSlot(container, "cart_1", T0 + 10_000)).toEqual({ ok: false, retryAfterMs: NEW_INVOICE_WINDOW_MS - 10_000 })
    // Another cart has its own count; the window slides.
    expect((await takeNewInvoiceSlot(container, "cart_2", T0 + 10_000)).ok).toBe(true)
    expect((await takeNewInvoiceSlot(container, "cart_1", T0 + NEW_INVOICE_WINDOW_MS + 1)).ok).toBe(true)
    // Kept for the whole window.
    expect([...stored.values()].every((v) => v.ttl === NEW_INVOICE_WINDOW_MS / 1000)).toBe(true)
  })

  it("a slot given back (nothing made at CoinGate) can be taken again", async () => {
    const { container } = containerWithCache()
    const slots = []
    for (let i = 0; i < NEW_INVOICES_PER_CART; i++) slots.push(await takeNewInvoiceSlot(container, "cart_1", T0 + i))
    await giveBackNewInvoiceSlot(container, "cart_1", (slots[2] as any).takenAt, T0 + 10)
    expect((await takeNewInvoiceSlot(container, "cart_1", T0 + 20)).ok).toBe(true)
    expect((await takeNewInvoiceSlot(container, "cart_1", T0 + 30)).ok).toBe(false)
  })
})

describe("what a failed POST /v2/orders proves", () => {
  const error = (status: number | undefined) => new CoinGateApiError("x", { status, transient: status === undefined || status >= 500 || status === 429 })

  it("a budget refusal, a 429 and other 4xx made nothing; 5xx, network errors and unreadable answers may have", () => {
    expect(invoiceAttemptOf(new CoinGateBudgetError("POST /orders", "checkout", { reason: "class_share", retryAfterMs: 7000 }), 0)).toEqual({ outcome: "not_made", retryAfterMs: 7000 })
    expect(invoiceAttemptOf(error(429), 3000)).toEqual({ outcome: "not_made", retryAfterMs: 3000 })
    expect(invoiceAttemptOf(error(422), 0)).toEqual({ outcome: "not_made" })
    expect(invoiceAttemptOf(error(502), 0)).toEqual({ outcome: "unknown" })
    expect(invoiceAttemptOf(error(undefined), 0)).toEqual({ outcome: "unknown" })
    expect(invoiceAttemptOf(new CoinGateResponseError("POST /orders", "no id"), 0)).toEqual({ outcome: "unknown" })
  })

  it("is reported to the request's attempt only inside withInvoiceAttempt", async () => {
    const attempt: InvoiceAttempt = {}
    reportInvoiceAttempt({ outcome: "made" })
    expect(attempt).toEqual({})
    await withInvoiceAttempt(attempt, async () => {
      await new Promise((r) => setTimeout(r, 1))
      reportInvoiceAttempt({ outcome: "unknown" })
    })
    expect(attempt).toEqual({ outcome: "unknown" })
  })
})

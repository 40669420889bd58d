import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import type { AxiosInstance } from "axios"
import type { Simulator } from "./stack"
import { orderOfCart, startCoinGatePayment, Store, waitFor } from "./store"

/** The simulator's refund and payout API (simulator/refunds.js, simulator/send-requests.js). */
export type RefundSimulator = Simulator & {
  url: string
  getRefund(id: number | string): any
  listRefunds(): any[]
  setRefundStatus(id: number | string, status: string, opts?: { rejection_reason?: string; rejection_type?: string; callback?: boolean }): Promise<any>
  sendRefundCallback(id: number | string, opts?: { overrides?: Record<string, unknown>; format?: "form" | "json"; url?: string; retry?: boolean }): Promise<any>
  getSendRequest(id: number | string): any
  listSendRequests(): any[]
  setSendRequestStatus(id: number | string, status: string, opts?: { callback?: boolean; fields?: Record<string, unknown> }): Promise<any>
  sendSendRequestCallback(id: number | string, opts?: { overrides?: Record<string, unknown>; format?: "form" | "json"; url?: string; retry?: boolean }): Promise<any>
  setPayoutOptions(opts: { payout2fa?: boolean; payoutExchange?: "auto" | "always" | "never"; exchangeTtlMs?: number }): any
  refunds: { ledgerAccounts: Array<{ id: string; symbol: string }> }
}

export const LEDGER = { EUR: "01JNQWKKJ6WXN8BZT1Y66B6EUR", BTC: "01JNQWKKJ6WXN8BZT1Y66B6BTC", USDT: "01JNQWKKJ6WXN8BZT1Y66B6USD" }
/** Simulator ids: BTC on Bitcoin, USDT on Tron. */
export const COIN = { BTC: { currency_id: 1, platform_id: 2 }, USDT_TRON: { currency_id: 4, platform_id: 6 } }

/** Kept here for the refund specs that import it from this file. */
export { adminHeaders } from "./admin"

/** A guest cart with a billing address (a payout's beneficiary comes from it). */
export async function createCartWithAddress(container: MedusaContainer, store: Store, unitPrice: number, currency = "eur"): Promise<{ id: string }> {
  return (await container.resolve(Modules.CART).createCarts({
    currency_code: currency,
    region_id: store.regionId,
    sales_channel_id: store.salesChannelId,
    email: "shopper@example.com",
    billing_address: { first_name: "Ada", last_name: "Shopper", country_code: "lt", address_1: "Gedimino pr. 1", city: "Vilnius" },
    items: [{ title: "Sticker", quantity: 1, unit_price: unitPrice, requires_shipping: false }],
  } as any)) as unknown as { id: string }
}

/** A CoinGate checkout paid in full: the Medusa order, captured, with its CoinGate order id and payment. */
export async function paidOrder(container: MedusaContainer, api: AxiosInstance, store: Store, sim: RefundSimulator, amount = 10.5) {
  const cart = await createCartWithAddress(container, store, amount)
  const { coingateOrderId } = await startCoinGatePayment(api, store, cart.id, { email: "shopper@example.com" })
  await sim.pay(coingateOrderId, { kind: "full", payCurrency: "BTC" })
  const order = await waitFor("the captured order", () => orderOfCart(container, cart.id).then((o) => (o?.captured ? o : null)), { timeoutMs: 20_000 })
  return { order, cart, coingateOrderId, payment: order.payments[0] }
}

/** The plugin's refund/payout records (`coingate_refund`). */
export async function refundRecords(container: MedusaContainer, filters: Record<string, unknown> = {}) {
  return (await (container.resolve("coingate") as any).listCoinGateRefunds(filters, { order: { created_at: "ASC" } })) as any[]
}

/** The Medusa payment as stored now (data, refunds). */
export async function paymentNow(container: MedusaContainer, paymentId: string) {
  const [payment] = await container.resolve(Modules.PAYMENT).listPayments({ id: paymentId } as any, { relations: ["refunds", "captures"] })
  return payment as any
}

/** Waits for the callback log to show a delivered (200) callback of a refund or send request with `status`. */
export function deliveredCallback(sim: RefundSimulator, key: string, status?: string) {
  return waitFor(`a delivered callback for ${key}${status ? ` (${status})` : ""}`, async () =>
    sim.callbackLog.find((c: any) => String(c.orderId) === key && c.status === 200 && (!status || c.body.status === status))
  )
}

/** The plugin's refund intents (`coingate_refund_intent`), newest first. */
export async function refundIntents(container: MedusaContainer, filters: Record<string, unknown> = {}) {
  return (await (container.resolve("coingate") as any).listCoinGateRefundIntents(filters, { order: { created_at: "DESC" } })) as any[]
}

/**
 * Moves an intent's request time `ms` into the past (instead of sleeping through the grace period
 * after which a refund CoinGate does not list counts as never made).
 */
export async function ageIntent(container: MedusaContainer, id: string, ms: number) {
  const [intent] = await refundIntents(container, { id })
  const at = new Date(new Date(intent.sent_at ?? intent.created_at).getTime() - ms)
  await (container.resolve("coingate") as any).updateCoinGateRefundIntents({ id, sent_at: at })
}

/** What CoinGate sent back for a CoinGate order, refunds and send requests together (exact, in cents). */
export function centsOutAtCoinGate(sim: RefundSimulator, coingateOrderId: number | string, sendRequestPurposeHint?: string) {
  const cents = (v: unknown) => Math.round(Number(v) * 100)
  const refunds = sim.listRefunds().filter((r: any) => String(r.order_id) === String(coingateOrderId))
  const payouts = sim.listSendRequests().filter((r: any) => String(r.purpose ?? "").includes(sendRequestPurposeHint ?? `CoinGate order ${coingateOrderId}`))
  return {
    refunds: refunds.length,
    payouts: payouts.length,
    cents: refunds.reduce((a: number, r: any) => a + cents(r.request_amount), 0) + payouts.reduce((a: number, r: any) => a + cents(r.input_amount), 0),
  }
}

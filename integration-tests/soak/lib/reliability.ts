import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

/**
 * Helpers shared by the reliability suites (reconciliation, faults, forgery, bad input,
 * crash, several instances): reading what Medusa and the plugin hold, and the simulator's
 * request counts.
 */

/** The plugin's record of a CoinGate order (`coingate_payment`), or null. */
export async function recordOf(container: MedusaContainer, coingateOrderId: number | string) {
  const service: any = container.resolve("coingate")
  const [record] = await service.listCoinGatePayments({ coingate_order_id: String(coingateOrderId) })
  return record ?? null
}

export async function allRecords(container: MedusaContainer) {
  const service: any = container.resolve("coingate")
  return (await service.listCoinGatePayments({}, { order: { created_at: "ASC" } })) as any[]
}

/** Every order in the store with its payments and captures. */
export async function allOrders(container: MedusaContainer) {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["id", "status", "payment_collections.id", "payment_collections.status", "payment_collections.payments.id", "payment_collections.payments.captured_at", "payment_collections.payments.captures.id", "payment_collections.payments.captures.amount"],
  })
  return data as any[]
}

/** Orders, payments and captures counted per payment session (what "exactly once" is checked on). */
export async function paymentFigures(container: MedusaContainer, sessionId: string) {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const [session] = await paymentModule.listPaymentSessions({ id: sessionId }, { relations: ["payment", "payment.captures"] })
  const payments = await paymentModule.listPayments({ payment_session_id: sessionId }, { relations: ["captures"] })
  return {
    sessionStatus: session?.status ?? null,
    payments: payments.length,
    captures: payments.reduce((n, p: any) => n + (p.captures?.length ?? 0), 0),
    captured: payments.some((p: any) => !!p.captured_at),
  }
}

/**
 * A comparable picture of everything a callback could change: sessions (status, data),
 * payments (captured, canceled, captures), orders (status), carts (completed) and the
 * plugin's records (status, state, attention, history). Timestamps that only say "read
 * again" (last_synced_at, next_check_at) are left out.
 */
export async function stateSnapshot(container: MedusaContainer) {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const sessions = await paymentModule.listPaymentSessions({}, { select: ["id", "status", "data", "amount", "currency_code", "authorized_at"] as any })
  const payments = await paymentModule.listPayments({}, { relations: ["captures", "refunds"] })
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = await query.graph({ entity: "order", fields: ["id", "status", "version", "updated_at"] })
  const { data: carts } = await query.graph({ entity: "cart", fields: ["id", "completed_at", "updated_at"] })
  const records = await allRecords(container)
  const byId = (a: any, b: any) => String(a.id).localeCompare(String(b.id))
  return JSON.parse(
    JSON.stringify({
      sessions: sessions.map((s: any) => ({ id: s.id, status: s.status, data: s.data, authorized_at: s.authorized_at })).sort(byId),
      payments: payments
        .map((p: any) => ({ id: p.id, captured_at: p.captured_at, canceled_at: p.canceled_at, captures: (p.captures ?? []).length, refunds: (p.refunds ?? []).length }))
        .sort(byId),
      orders: orders.map((o: any) => ({ id: o.id, status: o.status, version: o.version, updated_at: o.updated_at })).sort(byId),
      carts: carts.map((c: any) => ({ id: c.id, completed_at: c.completed_at, updated_at: c.updated_at })).sort(byId),
      records: records
        .map((r: any) => ({ id: r.id, status: r.status, medusa_state: r.medusa_state, attention: r.attention, history: r.history, order_id: r.order_id }))
        .sort(byId),
    })
  )
}

/** How many `GET /v2/orders/:id` the simulator answered (or failed) so far. */
export function orderReads(sim: { requestLog: any[] }) {
  return sim.requestLog.filter((r) => r.route === "GET /v2/orders/:id").length
}

/** All requests to CoinGate's API the simulator saw. */
export function apiRequests(sim: { requestLog: any[] }) {
  return sim.requestLog.length
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export const MINUTE = 60_000

import type { MedusaContainer } from "@medusajs/framework/types"
import type { CallbackLogQuery } from "./query"
import { callbackLogService } from "./record"

/** One callback as the admin API shows it: every field picked (nothing else of the row leaks). */
export type CallbackView = {
  id: string
  kind: string
  route: string
  coingate_order_id: string | null
  coingate_ref: string | null
  payment_session_id: string | null
  outcome: string
  answer_status: number
  answer: string
  body: unknown
  received_at: string
  /** 1, or how many callbacks a flood's aggregate row counts. */
  count: number
  aggregate: boolean
}

const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : new Date(String(d)).toISOString())

export function callbackView(row: any): CallbackView {
  return {
    id: row.id,
    kind: row.kind,
    route: row.route,
    coingate_order_id: row.coingate_order_id ?? null,
    coingate_ref: row.coingate_ref ?? null,
    payment_session_id: row.payment_session_id ?? null,
    outcome: row.outcome,
    answer_status: row.answer_status,
    answer: row.answer,
    body: row.body ?? null,
    received_at: iso(row.received_at),
    count: row.count ?? 1,
    aggregate: !!row.aggregate,
  }
}

/** The callbacks matching `query`, newest first. */
export async function listCallbacks(container: MedusaContainer, query: CallbackLogQuery) {
  const filters: Record<string, unknown> = {}
  if (query.coingate_order_id) filters.coingate_order_id = query.coingate_order_id
  if (query.outcome) filters.outcome = query.outcome
  if (query.kind) filters.kind = query.kind
  if (query.received_from || query.received_to) {
    filters.received_at = {
      ...(query.received_from ? { $gte: query.received_from } : {}),
      ...(query.received_to ? { $lt: query.received_to } : {}),
    }
  }
  const [rows, count] = await callbackLogService(container).listAndCountCoinGateCallbacks(filters as any, {
    take: query.limit,
    skip: query.offset,
    order: { received_at: "DESC", id: "DESC" },
  })
  return { callbacks: rows.map(callbackView), count, limit: query.limit, offset: query.offset }
}

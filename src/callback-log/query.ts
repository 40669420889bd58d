import { MedusaError } from "@medusajs/framework/utils"
import { CALLBACK_KINDS, CALLBACK_OUTCOMES, CallbackKind, CallbackOutcome } from "./record"

/**
 * The query of `GET /admin/coingate/callbacks`, checked: an unknown parameter, a repeated one or a
 * malformed value is a 400 naming it (docs/admin.md). Pure: no database.
 */
export type CallbackLogQuery = {
  coingate_order_id?: string
  outcome?: CallbackOutcome[]
  kind?: CallbackKind
  received_from?: Date
  received_to?: Date
  limit: number
  offset: number
}

const PARAMS = ["coingate_order_id", "outcome", "kind", "received_from", "received_to", "limit", "offset"] as const
export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100
export const MAX_RANGE_DAYS = 366
const DAY_MS = 24 * 60 * 60 * 1000
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/

function bad(message: string): never {
  throw new MedusaError(MedusaError.Types.INVALID_DATA, message)
}

function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < min || Number(value) > max) {
    bad(`\`${name}\` must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? " up" : ` to ${max}`}, got "${value.slice(0, 40)}".`)
  }
  return Number(value)
}

function date(name: string, value: string): Date {
  const d = new Date(value)
  if (!ISO_DATE.test(value) || Number.isNaN(d.getTime())) bad(`\`${name}\` must be an ISO date such as 2026-01-31 or 2026-01-31T12:00:00Z, got "${value.slice(0, 40)}".`)
  return d
}

export function parseCallbackLogQuery(raw: Record<string, unknown>, now = new Date()): CallbackLogQuery {
  const unknown = Object.keys(raw).filter((k) => !(PARAMS as readonly string[]).includes(k))
  if (unknown.length) bad(`Unknown query parameter${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `\`${k.slice(0, 40)}\``).join(", ")}; allowed: ${PARAMS.join(", ")}.`)
  const q: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== "string") bad(`\`${k}\` must be given once, as text.`)
    q[k] = v
  }
  const out: CallbackLogQuery = { limit: DEFAULT_LIMIT, offset: 0 }
  if (q.limit !== undefined) out.limit = integer("limit", q.limit, 1, MAX_LIMIT)
  if (q.offset !== undefined) out.offset = integer("offset", q.offset, 0, Number.MAX_SAFE_INTEGER)
  if (q.coingate_order_id !== undefined) {
    if (!/^\d{1,18}$/.test(q.coingate_order_id)) bad("`coingate_order_id` must be a CoinGate order id (digits).")
    out.coingate_order_id = q.coingate_order_id
  }
  if (q.outcome !== undefined) {
    const list = q.outcome.split(",").map((s) => s.trim())
    const wrong = list.filter((o) => !(CALLBACK_OUTCOMES as readonly string[]).includes(o))
    if (wrong.length || !list.length) bad(`\`outcome\` is a comma list of ${CALLBACK_OUTCOMES.join(", ")}; got "${q.outcome.slice(0, 60)}".`)
    out.outcome = [...new Set(list)] as CallbackOutcome[]
  }
  if (q.kind !== undefined) {
    if (!(CALLBACK_KINDS as readonly string[]).includes(q.kind)) bad(`\`kind\` must be one of ${CALLBACK_KINDS.join(", ")}.`)
    out.kind = q.kind as CallbackKind
  }
  if (q.received_from !== undefined) out.received_from = date("received_from", q.received_from)
  if (q.received_to !== undefined) out.received_to = date("received_to", q.received_to)
  const from = out.received_from
  const to = out.received_to ?? (from ? now : undefined)
  if (from && to) {
    if (from > to) bad("`received_from` must not be after `received_to`.")
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) bad(`The date range (received_from to received_to, or to now) is at most ${MAX_RANGE_DAYS} days.`)
  }
  return out
}

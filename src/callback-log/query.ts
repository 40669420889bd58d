import { z } from "@medusajs/framework/zod"
import { checkRange, isoDate, knownKeys, limit, offset, oneOf, commaList, parseQuery, pattern, DEFAULT_LIMIT } from "../shared/query-params"
import { CALLBACK_KINDS, CALLBACK_OUTCOMES, CallbackKind, CallbackOutcome } from "./record"

export { DEFAULT_LIMIT, MAX_LIMIT, MAX_RANGE_DAYS } from "../shared/query-params"

/**
 * The query of `GET /admin/coingate/callbacks`, checked: an unknown parameter, a repeated one or a
 * malformed value is a 400 naming it (docs/admin.md). Dates, ranges, limit and offset follow the rules
 * the console follows too (src/shared/query-params.ts). Pure: no database.
 */
export type CallbackLogQuery = {
  coingate_order_id?: string
  outcome?: CallbackOutcome[]
  kind?: CallbackKind
  /** Inclusive. */
  received_from?: Date
  /** Exclusive (a date-only `received_to` means the end of that day). */
  received_to?: Date
  limit: number
  offset: number
}

const PARAMS = ["coingate_order_id", "outcome", "kind", "received_from", "received_to", "limit", "offset"] as const

/** The callback log's query as a zod schema for `validateAndTransformQuery` (src/api/middlewares.ts). */
export function callbackLogQuerySchema(now: () => Date = () => new Date()) {
  return z
    .looseObject({
      coingate_order_id: pattern("coingate_order_id", /^\d{1,18}$/, "a CoinGate order id (digits)"),
      outcome: commaList("outcome", CALLBACK_OUTCOMES, false),
      kind: oneOf("kind", CALLBACK_KINDS),
      received_from: isoDate("received_from", false),
      received_to: isoDate("received_to", true),
      limit: limit(),
      offset: offset(),
    })
    .superRefine(knownKeys(PARAMS))
    .transform((v, ctx): CallbackLogQuery => {
      checkRange(ctx, ["received_from", "received_to"], v.received_from, v.received_to, now())
      const out: CallbackLogQuery = { limit: v.limit ?? DEFAULT_LIMIT, offset: v.offset ?? 0 }
      for (const k of ["coingate_order_id", "outcome", "kind", "received_from", "received_to"] as const) {
        if (v[k] !== undefined) (out as any)[k] = v[k]
      }
      return out
    })
}

export function parseCallbackLogQuery(raw: Record<string, unknown>, now = new Date()): CallbackLogQuery {
  return parseQuery(callbackLogQuerySchema(() => now), raw)
}

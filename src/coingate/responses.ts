import { COINGATE_STATUSES } from "./types"

/**
 * Checks of what CoinGate's API answers, made by the client before anything reads it: an answer
 * that is not what was asked for (another order's id, no id, an unknown status, an amount that is
 * not a decimal string) could otherwise be applied to the wrong payment. Each returns what is wrong,
 * or null. The descriptions name fields, never values, so they carry nothing CoinGate or a proxy sent.
 */

const DECIMAL = /^\d+(\.\d+)?$/

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value)

/** A CoinGate order or refund id: a positive integer. */
const isId = (value: unknown) => typeof value === "number" && Number.isSafeInteger(value) && value > 0

/** Ledger accounts and send requests may have non-numeric ids. */
const isAnyId = (value: unknown) => isId(value) || (typeof value === "string" && value.trim() !== "")

const ORDER_AMOUNTS = ["receive_amount", "pay_amount", "underpaid_amount", "overpaid_amount"] as const
const REFUND_AMOUNTS = ["request_amount", "refund_amount", "balance_debit_amount"] as const
const SEND_REQUEST_AMOUNTS = ["input_amount", "sending_amount", "balance_debit_amount"] as const

/** Optional amounts: absent, null or "" (CoinGate's "not yet"), else a decimal string. */
function amountProblem(value: Record<string, unknown>, fields: readonly string[]): string | null {
  const bad = fields.filter((f) => value[f] !== undefined && value[f] !== null && value[f] !== "" && !(typeof value[f] === "string" && DECIMAL.test(value[f] as string)))
  return bad.length ? `${bad.join(", ")} not a decimal string` : null
}

function idProblem(value: Record<string, unknown>, expectedId: number | string | undefined, valid: (id: unknown) => boolean): string | null {
  if (!valid(value.id)) return "no valid id"
  if (expectedId !== undefined && String(value.id) !== String(expectedId)) return "the id of another object than the one asked for"
  return null
}

/**
 * An order: `GET /v2/orders/:id` (`expected.id`), `POST /v2/orders` (`expected.orderId`, the session
 * it was created for), a listed order.
 */
export function orderProblem(value: unknown, expected: { id?: number | string; orderId?: string } = {}): string | null {
  if (!isObject(value)) return "not an order object"
  const problem = idProblem(value, expected.id, isId)
  if (problem) return problem
  if (expected.orderId !== undefined && value.order_id !== expected.orderId) return "an order_id other than the one sent"
  if (!COINGATE_STATUSES.includes(value.status as never)) return "an unknown status"
  if (typeof value.price_amount !== "string" || !DECIMAL.test(value.price_amount)) return "price_amount not a decimal string"
  if (typeof value.price_currency !== "string" || !value.price_currency) return "no price_currency"
  if (value.order_id !== undefined && value.order_id !== null && typeof value.order_id !== "string") return "order_id not a string"
  if (value.refunds !== undefined && value.refunds !== null && !Array.isArray(value.refunds)) return "refunds not a list"
  return amountProblem(value, ORDER_AMOUNTS)
}

/** `GET /v2/orders`: a page of orders, each checked. */
export function orderListProblem(value: unknown): string | null {
  if (!isObject(value) || !Array.isArray(value.orders)) return "not a list of orders"
  for (const [i, order] of value.orders.entries()) {
    const problem = orderProblem(order)
    if (problem) return `order ${i}: ${problem}`
  }
  return null
}

/** A refund (`GET`/`POST /v2/orders/:id/refunds[/:id]`). */
export function refundProblem(value: unknown, expectedId?: number | string): string | null {
  if (!isObject(value)) return "not a refund object"
  const problem = idProblem(value, expectedId, isId)
  if (problem) return problem
  if (typeof value.status !== "string" || !value.status) return "no status"
  return amountProblem(value, REFUND_AMOUNTS)
}

/** A send request (payout, `GET`/`POST`/`PATCH /v2/send_requests[/:id]`). */
export function sendRequestProblem(value: unknown, expectedId?: number | string): string | null {
  if (!isObject(value)) return "not a send request object"
  const problem = idProblem(value, expectedId, isAnyId)
  if (problem) return problem
  if (typeof value.status !== "string" || !value.status) return "no status"
  return amountProblem(value, SEND_REQUEST_AMOUNTS)
}

/** `GET /v2/ledger/accounts`: accounts with an id each. */
export function ledgerAccountsProblem(value: unknown): string | null {
  if (!isObject(value) || !Array.isArray(value.accounts)) return "not a list of ledger accounts"
  return value.accounts.every((a) => isObject(a) && isAnyId(a.id)) ? null : "a ledger account without id"
}

/** A page of refunds or send requests (`GET /v2/orders/:id/refunds`, `GET /v2/send_requests`), each checked. */
export function listProblem(value: unknown, key: "refunds" | "send_requests", item: (v: unknown) => string | null): string | null {
  if (!isObject(value) || !Array.isArray(value[key])) return `not a list of ${key}`
  for (const [i, one] of (value[key] as unknown[]).entries()) {
    const problem = item(one)
    if (problem) return `${key} ${i}: ${problem}`
  }
  return null
}

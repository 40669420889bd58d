/**
 * What a CoinGate order callback must carry for the plugin to look at it. Bodies come
 * form-encoded (every value a string) or as JSON, depending on the CoinGate API app's
 * setting. Nothing in the body is trusted beyond these identifiers: the token is
 * checked, then the order is re-read from CoinGate's API.
 */
export type CallbackIdentifiers = {
  coingateOrderId: number
  sessionId: string
  token: string
}

export type ParsedCallback = { ok: true; value: CallbackIdentifiers } | { ok: false; reason: string }

const MAX_ID_LENGTH = 100
/** NUL and other control characters: never in an id or token, and PostgreSQL refuses NUL in a query. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/

export function parseCallbackBody(body: unknown): ParsedCallback {
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    return { ok: false, reason: "body is not an object" }
  }
  const { id, order_id, token } = body as Record<string, unknown>
  const idText = typeof id === "number" ? String(id) : id
  if (typeof idText !== "string" || !/^\d{1,15}$/.test(idText)) {
    return { ok: false, reason: "`id` is missing or not a CoinGate order id" }
  }
  if (typeof order_id !== "string" || order_id.length === 0 || order_id.length > MAX_ID_LENGTH || CONTROL_CHARS.test(order_id)) {
    return { ok: false, reason: "`order_id` is missing or malformed" }
  }
  if (typeof token !== "string" || token.length === 0 || token.length > 200 || CONTROL_CHARS.test(token)) {
    return { ok: false, reason: "`token` is missing or malformed" }
  }
  return { ok: true, value: { coingateOrderId: Number(idText), sessionId: order_id, token } }
}

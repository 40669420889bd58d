import { createHmac, timingSafeEqual } from "crypto"

/**
 * Per-session callback tokens. CoinGate echoes the `token` given at order creation in
 * every callback. The token is an HMAC of the payment session id, so the backend can
 * re-derive it and nothing secret is stored anywhere the storefront can read
 * (payment session data is public through the store API).
 */
export function deriveCallbackKey(options: { apiToken: string; callbackSecret?: string }): Buffer {
  const secret = options.callbackSecret ?? options.apiToken
  return createHmac("sha256", "medusa-payment-coingate/callback-key").update(secret).digest()
}

export function callbackTokenFor(key: Buffer, sessionId: string): string {
  return createHmac("sha256", key).update(`session:${sessionId}`).digest("base64url")
}

/** Constant-time check of a posted token (surrounding whitespace ignored, as CoinGate's own plugins do). */
export function isValidCallbackToken(key: Buffer, sessionId: string, posted: unknown): boolean {
  if (typeof posted !== "string") {
    return false
  }
  const expected = Buffer.from(callbackTokenFor(key, sessionId))
  const actual = Buffer.from(posted.trim())
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * The secret path segment of a refund or payout callback URL (`/hooks/coingate/refunds/<token>`,
 * `/hooks/coingate/send-requests/<token>`). CoinGate's refund and send-request callbacks carry no token,
 * so the URL does: an HMAC of the external reference (the Medusa refund id, also the send request's
 * `external_id`), re-derivable by the backend and by no one else.
 */
export function refundTokenFor(key: Buffer, kind: "refund" | "send_request", reference: string): string {
  return createHmac("sha256", key).update(`${kind}:${reference}`).digest("base64url")
}

/** Constant-time check of a refund/payout callback URL token. */
export function isValidRefundToken(key: Buffer, kind: "refund" | "send_request", reference: string, posted: unknown): boolean {
  if (typeof posted !== "string" || !reference) {
    return false
  }
  const expected = Buffer.from(refundTokenFor(key, kind, reference))
  const actual = Buffer.from(posted.trim())
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

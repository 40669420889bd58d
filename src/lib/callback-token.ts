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

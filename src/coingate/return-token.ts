import { createHash, createHmac, timingSafeEqual } from "crypto"

/**
 * The shopper's return token (docs/security.md, "Who learns a checkout's cart and order"). The payment
 * session id is no secret: CoinGate prints it on the invoice as `order_id`, and it sits in the storefront's
 * return URL. So the session id alone gets only the payment's status from the public routes; the cart id
 * (which opens the cart's email and addresses through Medusa's store API) goes only to a caller who proves
 * it is that checkout. The plugin's return URL on the invoice (`success_url`/`cancel_url`, which only
 * CoinGate and the shopper's browser see) carries this token: an HMAC of the session id with the provider's
 * callback key, in its own domain, so it is neither the callback token nor derivable from it. Re-derived on
 * return, compared in constant time, never stored or logged by the plugin.
 */
export function returnTokenFor(key: Buffer, sessionId: string): string {
  return createHmac("sha256", key).update(`return:${sessionId}`).digest("base64url")
}

/** Constant-time check of the return token a return request carries. */
export function isValidReturnToken(key: Buffer, sessionId: string, posted: unknown): boolean {
  if (typeof posted !== "string" || !sessionId) return false
  const expected = Buffer.from(returnTokenFor(key, sessionId))
  const actual = Buffer.from(posted.trim())
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * Whether `claimed` (a cart id a storefront sent) is `actual` (the session's cart), compared in constant
 * time: both are hashed first, so neither their lengths nor their first differing byte show in the timing.
 */
export function sameCartId(claimed: unknown, actual: string | null | undefined): boolean {
  if (typeof claimed !== "string" || !claimed || !actual) return false
  const digest = (s: string) => createHash("sha256").update(s).digest()
  return timingSafeEqual(digest(claimed.trim()), digest(actual))
}

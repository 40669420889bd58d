/** The longest pause a `Retry-After` may impose: a header asking for more is treated as this. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000

/**
 * A `Retry-After` header (RFC 9110 §10.2.3) in milliseconds from `now`: delay-seconds
 * ("120", decimals tolerated) or an HTTP date. Undefined when absent or unreadable;
 * never negative, never over MAX_RETRY_AFTER_MS, so a proxy's odd value cannot stop the
 * plugin for hours.
 */
export function parseRetryAfter(value: unknown, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (typeof raw !== "string" && typeof raw !== "number") return undefined
  const text = String(raw).trim()
  if (!text) return undefined
  let ms: number
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000
  } else {
    const at = Date.parse(text)
    if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined
    ms = at - now
  }
  return Math.min(Math.max(0, Math.ceil(ms)), MAX_RETRY_AFTER_MS)
}

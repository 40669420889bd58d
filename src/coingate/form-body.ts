/**
 * `application/x-www-form-urlencoded` the way CoinGate's reference samples send it (curl
 * `--data-urlencode`, PHP `http_build_query`): nested objects as `a[b]=`. The payout path posts its
 * bodies this way (reference/v2.json declares these request bodies form-encoded). Absent, null and
 * undefined values are left out; numbers and booleans are written as text.
 */
export function formBody(body: Record<string, unknown>): string {
  const pairs = new URLSearchParams()
  const walk = (prefix: string, value: unknown) => {
    if (value === undefined || value === null) return
    if (Array.isArray(value)) {
      for (const item of value) walk(`${prefix}[]`, item)
    } else if (typeof value === "object") {
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) walk(`${prefix}[${key}]`, inner)
    } else {
      pairs.append(prefix, String(value))
    }
  }
  for (const [key, value] of Object.entries(body)) walk(key, value)
  return pairs.toString()
}

export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"

/**
 * What the callback log keeps of a posted body (docs/security.md): never a secret, never more than
 * 4 KB as JSON, and never more than 512 bytes for a callback that was not authenticated (anyone can post
 * those; src/callback-log/record.ts picks the cap). Pure: no Medusa import.
 *
 * - A field whose name suggests a secret (`token`, `*secret*`, `*password*`, `api_key`, `authorization`,
 *   `signature`, `credential`, `private*`) is dropped at any depth, and so is `callback_url` (a refund's
 *   or send request's callback URL ends with its token).
 * - Any value containing one of the secrets the caller names (the callback's own token, the URL token of
 *   a refund route) has that text replaced: a body may echo it under another name.
 * - NUL characters are removed and lone surrogates replaced (PostgreSQL's jsonb refuses both); nesting
 *   deeper than 6 levels and arrays longer than 50 items are cut.
 * - When what is left is over the cap as JSON, it is kept as `{ truncated: true, bytes, text }`: the first
 *   bytes of that JSON, the secrets already removed, cut so that the whole stays within the cap.
 */

export const BODY_CAP_BYTES = 4096
/** The cap for forged, unknown, malformed and transient callbacks: enough for the ids and status posted. */
export const UNVERIFIED_BODY_CAP_BYTES = 512
const MAX_DEPTH = 6
const MAX_ITEMS = 50
export const REDACTED = "[redacted]"

const SECRET_NAME = /token|secret|passw|api[_-]?key|authori[sz]|signature|credential|private|callback_url/i

export function isSecretFieldName(name: string): boolean {
  return SECRET_NAME.test(name)
}

export type StoredBody = Record<string, unknown> | { truncated: true; bytes: number; text: string } | null

/** Half of a UTF-16 surrogate pair on its own: PostgreSQL's jsonb refuses it too. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function cleanString(value: string, secrets: string[]): string {
  let s = value.replace(/\u0000/g, "").replace(LONE_SURROGATE, "\uFFFD")
  for (const secret of secrets) if (s.includes(secret)) s = s.split(secret).join(REDACTED)
  return s
}

function redact(value: unknown, secrets: string[], depth: number): unknown {
  if (typeof value === "string") return cleanString(value, secrets)
  if (value === null || typeof value === "number" || typeof value === "boolean") return value
  if (typeof value !== "object") return value === undefined ? null : cleanString(String(value), secrets)
  if (depth >= MAX_DEPTH) return "[nested]"
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => redact(v, secrets, depth + 1))
    return value.length > MAX_ITEMS ? [...items, `[${value.length - MAX_ITEMS} more]`] : items
  }
  if (Buffer.isBuffer(value)) return "[binary]"
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (isSecretFieldName(key)) continue
    out[cleanString(key, secrets)] = redact(v, secrets, depth + 1)
  }
  return out
}

/**
 * The body as the log stores it. `secrets` are values that must not appear anywhere in it (empty
 * strings and very short values are ignored: replacing "1" everywhere would only garble the body).
 */
export function storedBody(body: unknown, secrets: Array<string | null | undefined> = [], capBytes = BODY_CAP_BYTES): StoredBody {
  if (body === undefined || body === null) return null
  const known = secrets.filter((s): s is string => typeof s === "string" && s.length >= 8)
  const redacted = redact(body, known, 0)
  const value = redacted && typeof redacted === "object" && !Array.isArray(redacted) ? (redacted as Record<string, unknown>) : { value: redacted }
  const json = JSON.stringify(value)
  const bytes = Buffer.byteLength(json, "utf8")
  if (bytes <= capBytes) return value
  const raw = Buffer.from(json, "utf8")
  // The text is escaped again inside the truncated form's JSON (quotes, backslashes): cut until it fits.
  let keep = capBytes - 64
  for (;;) {
    // A cut in the middle of a multi-byte character becomes U+FFFD: harmless in a log.
    const text = raw.subarray(0, Math.max(0, keep)).toString("utf8").replace(/\uFFFD$/, "")
    const truncated = { truncated: true as const, bytes, text }
    const over = Buffer.byteLength(JSON.stringify(truncated), "utf8") - capBytes
    if (over <= 0 || keep <= 0) return truncated
    keep -= over
  }
}

/** The size the log charges for a stored body (its JSON), 0 for none. */
export function storedBodyBytes(body: StoredBody): number {
  return body === null ? 0 : Buffer.byteLength(JSON.stringify(body), "utf8")
}

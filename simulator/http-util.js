// @ts-check
"use strict"

/** Largest request body accepted (bytes); larger ones get 413. */
const MAX_BODY_BYTES = 1024 * 1024
/** Past this many bytes an oversized upload is no longer drained politely: the socket is closed. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"])

/** An error that maps to an HTTP response. */
class HttpError extends Error {
  /** @param {number} status @param {string} message @param {string} reason @param {string[] | Record<string, string[]>} [errors] an array, or (beneficiaries) messages by field */
  constructor(status, message, reason, errors) {
    super(message)
    this.status = status
    this.reason = reason
    this.errors = errors
  }
  toJSON() {
    /** @type {Record<string, unknown>} */
    const body = { message: this.message, reason: this.reason }
    if (this.errors) body.errors = this.errors
    return body
  }
}

/**
 * Reads the request body up to MAX_BODY_BYTES. Oversized bodies are drained (so the client can read
 * the 413 answer) and rejected with HttpError 413.
 * @param {import("http").IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    let tooLarge = false
    req.on("data", (/** @type {Buffer} */ chunk) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) tooLarge = true
      if (!tooLarge) chunks.push(chunk)
      if (size > MAX_DRAIN_BYTES) {
        req.pause()
        reject(new HttpError(413, "Request entity too large", "RequestEntityTooLarge"))
      }
    })
    req.on("end", () => {
      if (tooLarge) reject(new HttpError(413, "Request entity too large", "RequestEntityTooLarge"))
      else resolve(Buffer.concat(chunks).toString("utf8"))
    })
    req.on("error", reject)
  })
}

/**
 * Parses a JSON or application/x-www-form-urlencoded body (nested `a[b]=`, `a[]=`, `a[][k]=`).
 * @param {string} raw @param {string | undefined} contentType
 * @returns {Record<string, any>}
 */
function parseBody(raw, contentType) {
  const type = (contentType || "").split(";")[0].trim().toLowerCase()
  const text = raw.trim()
  if (text === "") return {}
  const looksJson = type === "application/json" || type.endsWith("+json") || (!type && /^[{[]/.test(text))
  if (looksJson) {
    let value
    try {
      value = JSON.parse(text)
    } catch {
      throw new HttpError(400, "Request body is not valid JSON", "BadRequest")
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new HttpError(400, "Request body must be a JSON object", "BadRequest")
    }
    return value
  }
  return parseForm(text)
}

/**
 * Rack/PHP-style nested form parsing.
 * @param {string} text
 * @returns {Record<string, any>}
 */
function parseForm(text) {
  /** @type {Record<string, any>} */
  const out = {}
  for (const [key, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key)
    if (!m) {
      if (!UNSAFE_KEYS.has(key)) out[key] = value
      continue
    }
    const segs = [m[1], ...(m[2].match(/\[([^[\]]*)\]/g) || []).map((s) => s.slice(1, -1))]
    if (segs.length > 6 || segs.some((s) => UNSAFE_KEYS.has(s))) continue
    assign(out, segs, value)
  }
  return out
}

/** @param {any} container @param {string[]} segs @param {string} value */
function assign(container, segs, value) {
  let cur = container
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]
    const last = i === segs.length - 1
    if (seg === "") {
      if (!Array.isArray(cur)) return
      if (last) {
        cur.push(value)
        return
      }
      // `a[][k]=` starts a new element when the last one already holds the key path k (Rack rule).
      const tail = cur[cur.length - 1]
      const reuse = tail && typeof tail === "object" && !Array.isArray(tail) && !hasPath(tail, segs.slice(i + 1))
      if (!reuse) cur.push(segs[i + 1] === "" ? [] : {})
      cur = cur[cur.length - 1]
      continue
    }
    if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return
    if (last) {
      cur[seg] = value
      return
    }
    const wantArray = segs[i + 1] === ""
    if (cur[seg] === undefined || typeof cur[seg] !== "object") cur[seg] = wantArray ? [] : {}
    cur = cur[seg]
  }
}

/** @param {any} obj @param {string[]} path keys up to the next `[]` */
function hasPath(obj, path) {
  let cur = obj
  for (const k of path) {
    if (k === "") return true
    if (!cur || typeof cur !== "object" || !(k in cur)) return false
    cur = cur[k]
  }
  return true
}

/**
 * CoinGate-style form encoding: nested objects as `a[b]=`, arrays of objects as `a[][k]=`,
 * booleans as `true`/`false`, null as an empty value. Brackets are left unescaped.
 * @param {Record<string, unknown>} obj
 */
function encodeForm(obj) {
  /** @type {string[]} */
  const pairs = []
  const key = (/** @type {string} */ k) => encodeURIComponent(k).replace(/%5B/g, "[").replace(/%5D/g, "]")
  /** @param {string} prefix @param {unknown} value */
  const walk = (prefix, value) => {
    if (value === undefined) return
    if (Array.isArray(value)) {
      for (const item of value) walk(`${prefix}[]`, item)
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}[${k}]` : k, v)
    } else {
      pairs.push(`${key(prefix)}=${value === null ? "" : encodeURIComponent(String(value))}`)
    }
  }
  walk("", obj)
  return pairs.join("&")
}

/**
 * @param {import("http").ServerResponse} res @param {number} status @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/**
 * @param {import("http").ServerResponse} res @param {number} status @param {string} text
 * @param {string} [type]
 */
function sendText(res, status, text, type = "text/plain; charset=utf-8") {
  res.writeHead(status, { "Content-Type": type, "Content-Length": Buffer.byteLength(text) })
  res.end(text)
}

/** @param {import("http").ServerResponse} res @param {string} location */
function redirect(res, location) {
  res.writeHead(303, { Location: location, "Content-Length": 0 })
  res.end()
}

/** @param {import("http").ServerResponse} res @param {unknown} err */
function sendError(res, err) {
  if (err instanceof HttpError) {
    /** @type {Record<string, string>} */
    const headers = err.status === 413 ? { Connection: "close" } : {}
    return sendJson(res, err.status, err.toJSON(), headers)
  }
  const message = err instanceof Error ? err.message : String(err)
  sendJson(res, 500, { message: `Internal server error: ${message}`, reason: "InternalServerError" })
}

module.exports = {
  MAX_BODY_BYTES,
  HttpError,
  readBody,
  parseBody,
  parseForm,
  encodeForm,
  sendJson,
  sendText,
  sendError,
  redirect,
}

// @ts-check
"use strict"

/**
 * Exact decimal arithmetic on strings, built on BigInt. Money never touches a float here.
 *
 * A decimal is `{ v, s }` meaning `v / 10^s` (s >= 0). `parse("10.50")` keeps the scale (2), so
 * `toString(parse("10.50")) === "10.50"`: digits given by the caller are never lost or added.
 *
 * @typedef {{ v: bigint, s: number }} Decimal
 */

const DEC_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/
const MAX_INPUT_LENGTH = 64

/**
 * Parses a decimal given as a string ("10.50", ".5", "1e-3") or a finite number (via its shortest
 * string form). Returns null when the input is not a plain decimal number.
 * @param {unknown} input
 * @returns {Decimal | null}
 */
function parse(input) {
  if (typeof input === "bigint") return { v: input, s: 0 }
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return null
    input = String(input)
  }
  if (typeof input !== "string") return null
  const str = input.trim()
  if (str.length === 0 || str.length > MAX_INPUT_LENGTH) return null
  const m = DEC_RE.exec(str)
  if (!m) return null
  const [, sign, intPart = "", fracPart = "", expPart] = m
  if (intPart === "" && fracPart === "") return null
  let v = BigInt((intPart || "0") + fracPart)
  let s = fracPart.length
  const exp = expPart === undefined ? 0 : Number(expPart)
  if (Math.abs(exp) > 60) return null
  if (exp < 0) s += -exp
  else if (exp > 0) {
    if (exp <= s) s -= exp
    else {
      v *= 10n ** BigInt(exp - s)
      s = 0
    }
  }
  return { v: sign === "-" ? -v : v, s }
}

/**
 * Like parse, but throws on invalid input.
 * @param {unknown} input
 * @returns {Decimal}
 */
function dec(input) {
  const d = parse(input)
  if (!d) throw new Error(`Not a decimal number: ${String(input)}`)
  return d
}

/**
 * Plain decimal string with exactly `d.s` fraction digits (never exponent notation).
 * @param {Decimal} d
 */
function toString(d) {
  const neg = d.v < 0n
  let digits = (neg ? -d.v : d.v).toString()
  if (d.s === 0) return (neg ? "-" : "") + digits
  digits = digits.padStart(d.s + 1, "0")
  return (neg ? "-" : "") + digits.slice(0, -d.s) + "." + digits.slice(-d.s)
}

/** @param {Decimal} d @param {number} s exact rescale to a larger scale */
function rescale(d, s) {
  if (s < d.s) throw new Error("rescale cannot drop digits; use round")
  return { v: d.v * 10n ** BigInt(s - d.s), s }
}

/** @param {Decimal} a @param {Decimal} b @returns {[Decimal, Decimal]} */
function align(a, b) {
  const s = Math.max(a.s, b.s)
  return [rescale(a, s), rescale(b, s)]
}

/** @param {Decimal} a @param {Decimal} b */
function add(a, b) {
  const [x, y] = align(a, b)
  return { v: x.v + y.v, s: x.s }
}

/** @param {Decimal} a @param {Decimal} b */
function sub(a, b) {
  const [x, y] = align(a, b)
  return { v: x.v - y.v, s: x.s }
}

/** @param {Decimal} a @param {Decimal} b */
function mul(a, b) {
  return { v: a.v * b.v, s: a.s + b.s }
}

/** @param {Decimal} a @param {Decimal} b @returns {-1 | 0 | 1} */
function cmp(a, b) {
  const [x, y] = align(a, b)
  return x.v < y.v ? -1 : x.v > y.v ? 1 : 0
}

/**
 * Integer division rounding half away from zero.
 * @param {bigint} num @param {bigint} den
 */
function divHalfUp(num, den) {
  if (den === 0n) throw new Error("Division by zero")
  const neg = num < 0n !== den < 0n
  const n = num < 0n ? -num : num
  const d = den < 0n ? -den : den
  const q = (2n * n + d) / (2n * d)
  return neg ? -q : q
}

/**
 * Rounds (half away from zero) to exactly `scale` fraction digits.
 * @param {Decimal} d @param {number} scale
 */
function round(d, scale) {
  if (d.s <= scale) return rescale(d, scale)
  return { v: divHalfUp(d.v, 10n ** BigInt(d.s - scale)), s: scale }
}

/**
 * a / b rounded half-up to `scale` fraction digits.
 * @param {Decimal} a @param {Decimal} b @param {number} scale
 */
function div(a, b, scale) {
  // a.v/10^a.s / (b.v/10^b.s) = a.v * 10^b.s / (b.v * 10^a.s); times 10^scale for the result scale.
  const num = a.v * 10n ** BigInt(b.s + scale)
  const den = b.v * 10n ** BigInt(a.s)
  return { v: divHalfUp(num, den), s: scale }
}

/** Drops trailing fraction zeros ("10.500" -> "10.5", "10.00" -> "10"). @param {Decimal} d */
function strip(d) {
  let { v, s } = d
  while (s > 0 && v % 10n === 0n) {
    v /= 10n
    s--
  }
  return { v, s }
}

/** @param {Decimal} d */
const isPositive = (d) => d.v > 0n
/** @param {Decimal} d */
const isZero = (d) => d.v === 0n

/**
 * CoinGate renders decimals the way Ruby's BigDecimal does: trailing zeros dropped but at least one
 * fraction digit ("10" -> "10.0", "10.50" -> "10.5", "0.00021000" -> "0.00021"), as in every example
 * of reference/v2.json (`price_amount: "10.0"`, `pay_amount: "0.0009822"`, `request_amount: "10.0"`,
 * `input_amount: "100.0"`).
 * @param {Decimal} d
 */
function toCoingateString(d) {
  const t = strip(d)
  return toString(t.s === 0 ? rescale(t, 1) : t)
}

/**
 * An amount as CoinGate answers it: a decimal string or Decimal rendered by toCoingateString.
 * @param {string | Decimal} value
 */
function cg(value) {
  return toCoingateString(typeof value === "string" ? dec(value) : value)
}

module.exports = {
  parse,
  dec,
  toString,
  toCoingateString,
  cg,
  rescale,
  add,
  sub,
  mul,
  div,
  cmp,
  round,
  strip,
  isPositive,
  isZero,
}

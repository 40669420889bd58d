// @ts-check
"use strict"

const money = require("./money")
const currencies = require("./currencies")

/**
 * Normalised create-order parameters.
 * @typedef {{
 *   price_amount: string, price_currency: string, receive_currency: string, do_not_convert: boolean,
 *   title: string, description: string | null, order_id: string, token: string | null,
 *   callback_url: string | null, success_url: string | null, cancel_url: string | null,
 *   purchaser_email: string | null, shopper: Record<string, unknown> | null
 * }} CreateParams
 */

/** @param {unknown} v */
const present = (v) => v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "")

/** @param {unknown} v */
const str = (v) => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null)

/** @param {string} value */
function isHttpUrl(value) {
  try {
    const u = new URL(value)
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== ""
  } catch {
    return false
  }
}

/**
 * Checks a length-bounded text field the way Rails messages it.
 * @param {string[]} errors @param {unknown} value @param {string} label @param {number} min @param {number} max
 */
function checkText(errors, value, label, min, max) {
  if (value === undefined || value === null) return null
  const s = str(value)
  if (s === null) {
    errors.push(`${label} is not valid`)
    return null
  }
  const len = [...s].length
  if (len < min) errors.push(`${label} is too short (minimum is ${min} characters)`)
  else if (len > max) errors.push(`${label} is too long (maximum is ${max} characters)`)
  return s
}

/**
 * Validates a `POST /v2/orders` body like CoinGate does (422 OrderIsNotValid with `errors`).
 * `price_amount` is rendered the way CoinGate renders decimals ("10.50" -> "10.5", "10" -> "10.0",
 * reference/v2.json `POST /orders` example); the plugin compares amounts as decimals, never as text.
 * @param {Record<string, any>} body
 * @returns {{ errors: string[], params: CreateParams }}
 */
function validateCreateOrder(body) {
  /** @type {string[]} */
  const errors = []

  let priceAmount = ""
  if (!present(body.price_amount)) errors.push("Price amount can't be blank")
  else {
    const d = typeof body.price_amount === "string" || typeof body.price_amount === "number"
      ? money.parse(body.price_amount)
      : null
    if (!d) errors.push("Price amount is not a number")
    else if (!money.isPositive(d)) errors.push("Price amount must be greater than 0")
    else priceAmount = money.toCoingateString(d)
  }

  let priceCurrency = ""
  if (!present(body.price_currency)) errors.push("Price currency can't be blank")
  else {
    const c = currencies.find(body.price_currency)
    if (!c) errors.push("Price currency is not valid")
    else priceCurrency = c.symbol
  }

  let receiveCurrency = priceCurrency
  if (present(body.receive_currency)) {
    const raw = String(str(body.receive_currency) || "").trim().toUpperCase()
    if (raw === "DO_NOT_CONVERT") receiveCurrency = raw
    else {
      const c = currencies.find(raw)
      if (!c) errors.push("Receive currency is not valid")
      else receiveCurrency = c.symbol
    }
  }

  // reference/v2.json, POST /orders requestBody: required price_amount, price_currency, title, description.
  if (!present(body.title)) errors.push("Title can't be blank")
  if (!present(body.description)) errors.push("Description can't be blank")
  const title = present(body.title) ? checkText(errors, body.title, "Title", 3, 150) : null
  const description = present(body.description) ? checkText(errors, body.description, "Description", 3, 500) : null

  /** @type {Record<string, string | null>} */
  const urls = {}
  for (const [field, label] of [["callback_url", "Callback url"], ["success_url", "Success url"], ["cancel_url", "Cancel url"]]) {
    const v = body[field]
    urls[field] = null
    if (!present(v)) continue
    const s = str(v)
    if (s === null || !isHttpUrl(s.trim())) errors.push(`${label} is not a valid URL`)
    else urls[field] = s.trim()
  }

  // CoinGate answers `order_id: ""` for an order created without one (v2.json, GET /orders example).
  const orderId = present(body.order_id) ? str(body.order_id) : ""
  if (present(body.order_id) && orderId === null) errors.push("Order is not valid")
  const token = present(body.token) ? str(body.token) : null
  if (present(body.token) && token === null) errors.push("Token is not valid")

  const shopper = body.shopper && typeof body.shopper === "object" && !Array.isArray(body.shopper) ? body.shopper : null

  return {
    errors,
    params: {
      price_amount: priceAmount,
      price_currency: priceCurrency,
      receive_currency: receiveCurrency,
      do_not_convert: receiveCurrency === "DO_NOT_CONVERT",
      title: title ?? "",
      description,
      order_id: orderId ?? "",
      token,
      callback_url: urls.callback_url,
      success_url: urls.success_url,
      cancel_url: urls.cancel_url,
      purchaser_email: present(body.purchaser_email) ? str(body.purchaser_email) : null,
      shopper,
    },
  }
}

module.exports = { validateCreateOrder, isHttpUrl }

// @ts-check
"use strict"

const crypto = require("crypto")
const money = require("./money")

/**
 * Fake but fixed currency table. `eur` is the value of one unit in EUR (a decimal string), so every
 * conversion is exact and reproducible: 1 BTC = 50000 EUR, 1 ETH = 2500 EUR, 1 USDT = 1 USD = 0.9 EUR.
 *
 * @typedef {{ id: number, title: string, symbol: string, kind: "fiat" | "crypto", decimals: number,
 *   eur: string, platform?: { id: number, title: string, id_name: string }, uriScheme?: string }} Currency
 */

/** @type {Currency[]} */
const LIST = [
  { id: 1, title: "Bitcoin", symbol: "BTC", kind: "crypto", decimals: 8, eur: "50000", uriScheme: "bitcoin",
    platform: { id: 2, title: "Bitcoin", id_name: "bitcoin" } },
  { id: 2, title: "Litecoin", symbol: "LTC", kind: "crypto", decimals: 8, eur: "100", uriScheme: "litecoin",
    platform: { id: 3, title: "Litecoin", id_name: "litecoin" } },
  { id: 3, title: "Ethereum", symbol: "ETH", kind: "crypto", decimals: 8, eur: "2500", uriScheme: "ethereum",
    platform: { id: 4, title: "Ethereum", id_name: "ethereum" } },
  { id: 4, title: "Tether", symbol: "USDT", kind: "crypto", decimals: 8, eur: "0.9", uriScheme: "ethereum",
    platform: { id: 4, title: "Ethereum", id_name: "ethereum" } },
  { id: 5, title: "USD Coin", symbol: "USDC", kind: "crypto", decimals: 8, eur: "0.9", uriScheme: "ethereum",
    platform: { id: 4, title: "Ethereum", id_name: "ethereum" } },
  { id: 11, title: "Euro", symbol: "EUR", kind: "fiat", decimals: 2, eur: "1" },
  { id: 12, title: "US Dollar", symbol: "USD", kind: "fiat", decimals: 2, eur: "0.9" },
  { id: 13, title: "British Pound", symbol: "GBP", kind: "fiat", decimals: 2, eur: "1.15" },
  { id: 14, title: "Japanese Yen", symbol: "JPY", kind: "fiat", decimals: 0, eur: "0.006" },
  { id: 15, title: "Kuwaiti Dinar", symbol: "KWD", kind: "fiat", decimals: 3, eur: "3" },
  { id: 16, title: "Swiss Franc", symbol: "CHF", kind: "fiat", decimals: 2, eur: "1.05" },
  { id: 17, title: "Polish Zloty", symbol: "PLN", kind: "fiat", decimals: 2, eur: "0.23" },
  { id: 18, title: "Canadian Dollar", symbol: "CAD", kind: "fiat", decimals: 2, eur: "0.68" },
  { id: 19, title: "Australian Dollar", symbol: "AUD", kind: "fiat", decimals: 2, eur: "0.6" },
  { id: 20, title: "Swedish Krona", symbol: "SEK", kind: "fiat", decimals: 2, eur: "0.088" },
  { id: 21, title: "Norwegian Krone", symbol: "NOK", kind: "fiat", decimals: 2, eur: "0.086" },
  { id: 22, title: "Danish Krone", symbol: "DKK", kind: "fiat", decimals: 2, eur: "0.134" },
  { id: 23, title: "Czech Koruna", symbol: "CZK", kind: "fiat", decimals: 2, eur: "0.04" },
]

/** @type {Map<string, Currency>} */
const BY_SYMBOL = new Map(LIST.map((c) => [c.symbol, c]))

/** Coins a shopper can pay with on the invoice. */
const PAY_CURRENCIES = ["BTC", "ETH", "LTC", "USDT", "USDC"]

/** @param {unknown} symbol @returns {Currency | undefined} */
function find(symbol) {
  return typeof symbol === "string" ? BY_SYMBOL.get(symbol.trim().toUpperCase()) : undefined
}

/** @param {string} symbol */
function get(symbol) {
  const c = find(symbol)
  if (!c) throw new Error(`Unknown currency ${symbol}`)
  return c
}

/**
 * Converts `amount` (decimal string) from one currency to another, rounded half-up to the target's
 * decimals (8 for crypto), rendered as CoinGate renders amounts ("0.0009822", "10.0").
 * @param {string} amount @param {string} from @param {string} to @param {number} [scale]
 */
function convert(amount, from, to, scale) {
  const a = get(from)
  const b = get(to)
  const value = money.mul(money.dec(amount), money.dec(a.eur))
  return money.toCoingateString(money.div(value, money.dec(b.eur), scale ?? b.decimals))
}

/**
 * How many `to` units one `from` unit buys (12 fraction digits at most), rendered as CoinGate does
 * ("20566.0", "0.00013351").
 * @param {string} from @param {string} to
 */
function rate(from, to) {
  const r = money.div(money.dec(get(from).eur), money.dec(get(to).eur), 12)
  return money.toCoingateString(r)
}

const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

/**
 * A fake, deterministic deposit address for an order and coin.
 * @param {string} seed @param {string} symbol
 */
function fakeAddress(seed, symbol) {
  const hash = crypto.createHash("sha256").update(`${seed}:${symbol}`).digest()
  if (symbol === "BTC" || symbol === "LTC") {
    let body = ""
    for (let i = 0; i < 32; i++) body += BECH32[hash[i] % 32]
    return (symbol === "BTC" ? "bc1q" : "ltc1q") + body
  }
  return "0x" + hash.toString("hex").slice(0, 40)
}

/**
 * A `bitcoin:<addr>?amount=…` style payment URI.
 * @param {string} symbol @param {string} address @param {string} amount
 */
function paymentUri(symbol, address, amount) {
  const c = get(symbol)
  return `${c.uriScheme || symbol.toLowerCase()}:${address}?amount=${amount}`
}

/** `/v2/currencies`-like item. @param {Currency} c */
function currencyView(c) {
  return {
    id: c.id,
    title: c.title,
    kind: c.kind,
    symbol: c.symbol,
    native: true,
    disabled: false,
    disabled_message: null,
    merchant: { price: true, pay: c.kind === "crypto", receive: true },
    // Fiat currencies have no platforms key (v2.json /currencies example: EUR, USD, GBP).
    ...(c.platform ? { platforms: [{ id: c.platform.id, id_name: c.platform.id_name, title: c.platform.title, enabled: true }] } : {}),
  }
}

module.exports = { LIST, PAY_CURRENCIES, find, get, convert, rate, fakeAddress, paymentUri, currencyView }

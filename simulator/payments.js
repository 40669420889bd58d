// @ts-check
"use strict"

const crypto = require("crypto")
const money = require("./money")
const currencies = require("./currencies")

/** @typedef {import("./orders").Order} Order */

/** Share of the amount due that an "underpay" sends, and the extra share an "overpay" sends. */
const UNDERPAY_SHARE = money.dec("0.9")
const OVERPAY_EXTRA = money.dec("0.1")
/** CoinGate-like processing fee. */
const FEE_RATE = money.dec("0.01")

let nextTxId = 1

/** The next blockchain transaction id; sets it when given (a loaded state continues its numbering). @param {number} [value] */
function txIdCounter(value) {
  if (value !== undefined && value > nextTxId) nextTxId = value
  return nextTxId
}

/**
 * Fills the fields that appear once the shopper picks a coin (pay_currency, pay_amount,
 * payment_address, payment_request_uri, conversion_rate, platform, expire_at). No-op if chosen.
 * @param {Order} order @param {string} symbol @param {string} expireAt ISO time used if none is set
 */
function ensureCoin(order, symbol, expireAt) {
  if (order.pay_currency) return
  const coin = currencies.get(String(symbol).toUpperCase())
  order.pay_currency = coin.symbol
  order.pay_amount = currencies.convert(order.price_amount, order.price_currency, coin.symbol, 8)
  // What one coin costs in the price currency, as CoinGate shows it ("20566.0" for BTC priced in EUR).
  order.conversion_rate = currencies.rate(coin.symbol, order.price_currency)
  order.payment_address = currencies.fakeAddress(order.uuid, coin.symbol)
  order.payment_request_uri = currencies.paymentUri(coin.symbol, order.payment_address, order.pay_amount)
  order.platform = coin.platform ? { ...coin.platform } : null
  if (!order.expire_at) order.expire_at = expireAt
}

/**
 * Appends a fake blockchain transaction in the pay currency.
 * @param {Order} order @param {string} amount @param {"pending" | "confirmed"} status
 */
function addTx(order, amount, status) {
  const coin = currencies.get(order.pay_currency)
  const id = nextTxId++
  order.blockchain_transactions.push({
    id,
    txid: crypto.createHash("sha256").update(`${order.uuid}:tx:${id}`).digest("hex"),
    amount,
    status,
    network_confirmations: status === "confirmed" ? 3 : 0,
    currency: {
      id: coin.id,
      title: coin.title,
      symbol: coin.symbol,
      platform: coin.platform ? { id: coin.platform.id, title: coin.platform.title } : null,
    },
  })
}

/*
 * underpaid_amount stays "0" until a payment falls short. reference/v2.json's examples show it equal to
 * pay_amount on pending and even paid orders, which its own summary calls an oddity (shared
 * docs/coingate-api.md §2.2); taking it literally would flag every open invoice as underpaid, so the
 * simulator keeps the meaning the field's name and the invoice page give it.
 */

/**
 * Records an on-chain payment of the amount still due: all of it ("full"), 90% ("underpay", the rest
 * goes to underpaid_amount) or 110% ("overpay", the excess goes to overpaid_amount).
 * @param {Order} order @param {string} kind @param {"pending" | "confirmed"} txStatus
 */
function sendFunds(order, kind, txStatus) {
  const underpaid = money.dec(order.underpaid_amount)
  const due = money.isPositive(underpaid) ? underpaid : money.dec(order.pay_amount)
  let sent = due
  if (kind === "underpay") {
    sent = money.round(money.mul(due, UNDERPAY_SHARE), 8)
    order.underpaid_amount = money.cg(money.sub(due, sent))
  } else {
    if (kind === "overpay") {
      const extra = money.round(money.mul(due, OVERPAY_EXTRA), 8)
      sent = money.add(due, extra)
      order.overpaid_amount = money.cg(extra)
      order.is_refundable = true
    }
    order.underpaid_amount = "0"
  }
  addTx(order, money.cg(money.round(sent, 8)), txStatus)
}

/**
 * Marks the order's money as received: confirms transactions, sets paid_at, receive_amount
 * (price converted to the receive currency, or the pay amount for DO_NOT_CONVERT, minus 1%) and fees.
 * Returns true the first time (when the fees are set), false when the order was settled before.
 * @param {Order} order @param {string} now ISO time
 */
function settle(order, now) {
  if (order.blockchain_transactions.length === 0) addTx(order, order.pay_amount, "confirmed")
  for (const tx of order.blockchain_transactions) {
    tx.status = "confirmed"
    tx.network_confirmations = Math.max(tx.network_confirmations, 3)
  }
  if (!order.paid_at) order.paid_at = now
  if (order.fees.length > 0) return false
  const receive = currencies.get(order.do_not_convert ? order.pay_currency : order.receive_currency)
  const gross = order.do_not_convert
    ? money.dec(order.pay_amount)
    : money.dec(currencies.convert(order.price_amount, order.price_currency, receive.symbol))
  const fee = money.round(money.mul(gross, FEE_RATE), receive.decimals)
  order.receive_amount = money.cg(money.sub(money.round(gross, receive.decimals), fee))
  order.fees = [{ type: "processing_fee", amount: money.cg(fee), currency: { id: receive.id, symbol: receive.symbol } }]
  return true
}

module.exports = { ensureCoin, addTx, sendFunds, settle, nextTxId: txIdCounter }

"use strict"
/**
 * 1. Checkout: complete store-API checkouts, CoinGate and Medusa's system provider
 * interleaved (ABBA...: the order within each pair alternates), one at a time.
 *
 * One checkout = create a cart with one item -> payment collection -> payment session
 * -> pay -> complete the cart. For CoinGate, "pay" marks the simulator's order paid
 * without sending a callback (the shopper paid on CoinGate's page); completing the
 * cart then authorizes the session through the provider, which reads the order from
 * CoinGate and reports it captured. For the system provider "pay" is nothing.
 *
 * Every step is timed, and for CoinGate the simulator's API requests are counted, so
 * that a gap between the providers can be located (the profile printed with the result).
 * With `admin`, each system-provider payment is then captured through the admin API
 * (untimed for the checkout, timed on its own): a CoinGate checkout records its capture
 * during completion, a system-provider one leaves it for later.
 */
const { performance } = require("perf_hooks")

const COINGATE = "pp_coingate_coingate"
const SYSTEM = "pp_system_default"
const STEPS = ["cart", "collection", "session", "pay", "complete"]

async function oneCheckout({ api, sim, regionId, variantId, providerId, tag = null, admin = null, pg = null }) {
  const steps = {}
  let t = performance.now()
  const t0 = t
  const tagFor = (step) => (tag ? `${tag}|${providerId}|${step}` : null)
  api.tag = tagFor("cart")
  const lap = (name) => {
    const now = performance.now()
    steps[name] = now - t
    t = now
    const next = STEPS[STEPS.indexOf(name) + 1]
    api.tag = next ? tagFor(next) : null
  }
  const requestsBefore = sim.requestLog.length
  const cart = await api.createCart({ regionId, variantId })
  lap("cart")
  const collection = await api.createPaymentCollection(cart.id)
  lap("collection")
  const session = await api.createPaymentSession(collection.id, providerId)
  lap("session")
  if (providerId === COINGATE) {
    await sim.setStatus(session.data.coingate_order_id, "paid", { callback: false })
  }
  lap("pay")
  const order = await api.completeCart(cart.id)
  lap("complete")
  const totalMs = performance.now() - t0
  const requests = sim.requestLog.slice(requestsBefore).map((r) => r.route)
  let captureMs = null
  if (providerId === SYSTEM && admin && pg) {
    // Not part of the checkout: what the merchant's later capture of this payment costs the
    // store (the CoinGate checkout records its capture during completion).
    const { rows } = await pg.query(`SELECT id FROM payment WHERE payment_session_id = $1`, [session.id])
    admin.tag = tag ? `${tag}|${providerId}|capture` : null
    const t1 = performance.now()
    await admin.capturePayment(rows[0].id)
    captureMs = performance.now() - t1
    admin.tag = null
  }
  return { providerId, totalMs, steps, captureMs, cartId: cart.id, sessionId: session.id, orderId: order.id, coingateRequests: requests }
}

/**
 * Runs `warmup` pairs (not counted), then `pairs` pairs (`onPair(pairsDone)` after each). Resolves
 * { coingate: [sample], system: [sample], warmup, errors }.
 */
async function runCheckouts({ api, sim, regionId, variantId, pairs, warmup = 3, profile = false, admin = null, pg = null, onPair = null, log = () => {} }) {
  const out = { coingate: [], system: [], warmup, errors: [] }
  const total = warmup + pairs
  for (let i = 0; i < total; i++) {
    const order = i % 2 === 0 ? [COINGATE, SYSTEM] : [SYSTEM, COINGATE]
    for (const providerId of order) {
      try {
        const sample = await oneCheckout({ api, sim, regionId, variantId, providerId, tag: profile && i >= warmup ? `p${i}` : null, admin, pg })
        if (i >= warmup) out[providerId === COINGATE ? "coingate" : "system"].push(sample)
      } catch (err) {
        out.errors.push(`${providerId}: ${err.message}`)
        if (out.errors.length > 5) throw new Error(`checkouts keep failing: ${out.errors.join(" | ")}`)
      }
    }
    if (onPair) await onPair(i + 1)
    if ((i + 1) % 10 === 0 || i + 1 === total) log(`  checkout pairs ${i + 1}/${total}${i < warmup ? " (warm-up)" : ""}`)
  }
  return out
}

/** Checks in the database that what was measured really happened (not timed). */
async function verifyCheckouts(pg, result) {
  const problems = []
  const check = async (samples, wantCaptured) => {
    if (!samples.length) return
    const { rows } = await pg.query(
      `SELECT ps.id, ps.status, p.captured_at FROM payment_session ps LEFT JOIN payment p ON p.payment_session_id = ps.id WHERE ps.id = ANY($1)`,
      [samples.map((s) => s.sessionId)]
    )
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const s of samples) {
      const r = byId.get(s.sessionId)
      if (!r) problems.push(`${s.sessionId}: no session`)
      else if (r.status !== "authorized") problems.push(`${s.sessionId}: session ${r.status}`)
      else if (wantCaptured && !r.captured_at) problems.push(`${s.sessionId}: CoinGate payment not captured`)
    }
  }
  await check(result.coingate, true)
  await check(result.system, false)
  return problems
}

module.exports = { runCheckouts, verifyCheckouts, oneCheckout, COINGATE, SYSTEM, STEPS }

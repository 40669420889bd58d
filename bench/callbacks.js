"use strict"
/**
 * 2. Callbacks: from CoinGate's `paid` callback to a captured payment.
 *
 * Each callback is for a fresh checkout left at the CoinGate step (cart, payment
 * collection, CoinGate session; the shopper then pays on CoinGate's page and the cart is
 * completed by the callback, as in the default redirect-first flow).
 *
 * - The plugin's route (`POST /hooks/coingate`) applies the callback before answering,
 *   so its response time is the time to capture; each capture is checked in the database.
 *   Latency: callbacks one at a time. Rate: a burst with `concurrency` in flight.
 * - Medusa's route (`POST /hooks/payment/coingate_coingate`) answers at once and
 *   processes the callback about 5 s later (its event is delayed): the time to capture is
 *   the payment's `captured_at` minus the time the callback was sent (the database is
 *   polled until every payment is captured). Latency: callbacks sent `paceMs` apart.
 *   Rate: a burst, all sent at once.
 *
 * Rate = callbacks / (last capture - first callback sent).
 */
const { performance } = require("perf_hooks")
const { COINGATE } = require("./checkout")

/** Checkouts left at the CoinGate step, `concurrency` at a time. */
async function prepareSessions({ api, regionId, variantId, n, concurrency = 4 }) {
  const out = []
  let next = 0
  const worker = async (limit = n) => {
    while (next < limit) {
      next++
      const cart = await api.createCart({ regionId, variantId })
      const collection = await api.createPaymentCollection(cart.id)
      const session = await api.createPaymentSession(collection.id, COINGATE)
      out.push({ cartId: cart.id, sessionId: session.id, coingateOrderId: session.data.coingate_order_id })
    }
  }
  // The first cart alone: it creates the guest customer the others share (two at once would race).
  await worker.call(null, 1)
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, () => worker()))
  return out
}

async function capturedAt(pg, sessionIds) {
  const { rows } = await pg.query(
    `SELECT payment_session_id, captured_at FROM payment WHERE payment_session_id = ANY($1) AND captured_at IS NOT NULL AND deleted_at IS NULL`,
    [sessionIds]
  )
  return new Map(rows.map((r) => [r.payment_session_id, new Date(r.captured_at).getTime()]))
}

/** The plugin's route, one callback at a time. */
async function pluginSequential({ sim, pg, sessions }) {
  const latencies = []
  const failures = []
  const requestsBefore = sim.requestLog.length
  const t0 = Date.now()
  for (const s of sessions) {
    const start = performance.now()
    const attempt = await sim.setStatus(s.coingateOrderId, "paid", { callback: true })
    const ms = performance.now() - start
    const captured = await capturedAt(pg, [s.sessionId])
    if (!attempt || attempt.status !== 200) failures.push(`${s.sessionId}: HTTP ${attempt ? attempt.status : "none"} ${attempt && attempt.body ? attempt.body.slice(0, 120) : ""}`)
    else if (!captured.has(s.sessionId)) failures.push(`${s.sessionId}: answered 200 but not captured`)
    else latencies.push(ms)
  }
  const wallMs = Date.now() - t0
  return { latencies, failures, wallMs, requestsPerCallback: (sim.requestLog.length - requestsBefore) / sessions.length }
}

/** The plugin's route, `concurrency` callbacks in flight. */
async function pluginBurst({ sim, pg, sessions, concurrency }) {
  const latencies = []
  const failures = []
  let next = 0
  const start = performance.now()
  let last = start
  const worker = async () => {
    while (next < sessions.length) {
      const s = sessions[next++]
      const t = performance.now()
      const attempt = await sim.setStatus(s.coingateOrderId, "paid", { callback: true })
      const now = performance.now()
      last = Math.max(last, now)
      if (!attempt || attempt.status !== 200) failures.push(`${s.sessionId}: HTTP ${attempt ? attempt.status : "none"}`)
      else latencies.push(now - t)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, sessions.length) }, worker))
  const wallMs = last - start
  const captured = await capturedAt(pg, sessions.map((s) => s.sessionId))
  const notCaptured = sessions.filter((s) => !captured.has(s.sessionId)).length
  if (notCaptured) failures.push(`${notCaptured} answered but not captured`)
  const ok = sessions.length - failures.length
  return { latencies, failures, wallMs, concurrency, ratePerSecond: (ok / wallMs) * 1000 }
}

/**
 * Medusa's route: sends the callbacks `paceMs` apart (0 = all at once), then polls
 * the database until every payment is captured (or `timeoutMs`).
 */
async function medusaRoute({ sim, pg, sessions, url, paceMs, timeoutMs = 60_000 }) {
  for (const s of sessions) await sim.setStatus(s.coingateOrderId, "paid", { callback: false })
  const requestsBefore = sim.requestLog.length
  const sentAt = new Map()
  const failures = []
  const sends = []
  for (const s of sessions) {
    sentAt.set(s.sessionId, Date.now())
    sends.push(
      sim.sendCallback(s.coingateOrderId, { url, retry: false }).then((a) => {
        if (!a || a.status !== 200) failures.push(`${s.sessionId}: HTTP ${a ? a.status : "none"}`)
      })
    )
    if (paceMs > 0) await new Promise((r) => setTimeout(r, paceMs))
  }
  await Promise.all(sends)
  const ids = sessions.map((s) => s.sessionId)
  const until = Date.now() + timeoutMs
  let captured = new Map()
  for (;;) {
    captured = await capturedAt(pg, ids)
    if (captured.size === ids.length || Date.now() > until) break
    await new Promise((r) => setTimeout(r, 100))
  }
  // Both subscribers (Medusa's and the plugin's) act on each callback: let the later one finish before counting requests.
  await new Promise((r) => setTimeout(r, 1500))
  const latencies = []
  for (const id of ids) {
    if (captured.has(id)) latencies.push(captured.get(id) - sentAt.get(id))
    else failures.push(`${id}: not captured within ${timeoutMs / 1000}s`)
  }
  const first = Math.min(...sentAt.values())
  const last = captured.size ? Math.max(...captured.values()) : NaN
  return {
    latencies,
    failures,
    paceMs,
    wallMs: last - first,
    ratePerSecond: (latencies.length / (last - first)) * 1000,
    requestsPerCallback: (sim.requestLog.length - requestsBefore) / sessions.length,
  }
}

module.exports = { prepareSessions, pluginSequential, pluginBurst, medusaRoute, capturedAt }

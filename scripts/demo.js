#!/usr/bin/env node
"use strict"
/**
 * `npm run demo`: a demo store with a crypto checkout, no CoinGate account needed.
 *
 * Uses the PostgreSQL at DB_HOST:DB_PORT (DB_USERNAME / DB_PASSWORD) when one answers,
 * else starts an embedded one; creates and migrates the database `medusa_coingate_demo`
 * (DEMO_DB_NAME), seeds it (region, products, publishable key, admin user), then starts
 * the CoinGate simulator, the Medusa store with the plugin and the checkout page, and
 * prints their addresses. Ctrl-C stops everything. Running it again reuses the database.
 *
 * Ports: DEMO_MEDUSA_PORT (9000), DEMO_SIMULATOR_PORT (4010), DEMO_WEB_PORT (8090; not 8000, the port of
 * Medusa's starter storefront). Every server listens on localhost only.
 * DEMO_STOREFRONT_URL: the origin of an outside storefront (e.g. dtc-starter at http://localhost:8000) using
 * this demo as its backend: CoinGate sends shoppers back to its /coingate/return page and store CORS allows it.
 * DEMO_INVOICE_TTL_SECONDS: how long an invoice waits for payment once a coin is chosen
 * (default 300; CoinGate's is 20 minutes). DEMO_CONFIRM_DELAY_MS: how long a payment
 * made on the invoice page stays `confirming` before `paid` (default 4000).
 */
const path = require("path")
const { startDemo, portsFromEnv, REPO_ROOT } = require("./demo/stack")

const say = (line) => process.stdout.write(`${line}\n`)

function number(value, fallback) {
  const n = Number(value)
  return value !== undefined && value !== "" && Number.isFinite(n) && n >= 0 ? n : fallback
}

let interruptedDuringStart = false

async function main() {
  const t0 = Date.now()
  const ttlSeconds = number(process.env.DEMO_INVOICE_TTL_SECONDS, 300)
  let stack = null
  let stopping = null
  const stop = (signal) => {
    if (!stopping) {
      say(`\n[demo] ${signal}: stopping...`)
      stopping = (stack ? stack.stop() : Promise.resolve()).then(
        () => {
          say("[demo] stopped")
          process.exit(signal === "SIGINT" ? 130 : 0)
        },
        () => process.exit(1)
      )
    } else if (signal !== "exit") {
      say("[demo] still stopping; press Ctrl-C again... (or wait)")
    }
  }
  // A signal during start-up: startDemo's own cleanup runs when it fails; then exit.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, () => {
      if (!stack) {
        if (interruptedDuringStart) process.exit(130)
        interruptedDuringStart = true
        say(`\n[demo] ${signal}: stopping as soon as the current step ends (again to quit now)`)
        return
      }
      stop(signal)
    })
  }

  stack = await startDemo({
    dbName: process.env.DEMO_DB_NAME || "medusa_coingate_demo",
    ports: portsFromEnv(),
    log: say,
    writeConfig: true,
    simulator: {
      pendingTtlMs: ttlSeconds * 1000,
      confirmDelayMs: number(process.env.DEMO_CONFIRM_DELAY_MS, 4000),
    },
  })
  if (interruptedDuringStart) return stop("SIGINT")

  const { urls, seed, timings } = stack
  const secs = ((Date.now() - t0) / 1000).toFixed(0)
  const steps = Object.entries(timings)
    .map(([k, v]) => `${k} ${v.toFixed(1)}s`)
    .join(", ")
  say(`
  ────────────────────────────────────────────────────────────────────────────
   CoinGate demo store is ready (${secs}s: ${steps})

   Checkout page      ${urls.checkout}${urls.storefront ? `\n   Your storefront    ${urls.storefront}  (returns to ${urls.storefront}/coingate/return; store CORS allows it;\n                      the checkout page above cannot pay in this mode: return URLs must be on your storefront)` : ""}
   Medusa admin       ${urls.admin}
                      login ${seed.admin_email} / ${process.env.DEMO_ADMIN_PASSWORD || "supersecret"}
                      (its first load takes a minute: Vite builds it on demand)
   Store API          ${urls.store}   (publishable key below)
   CoinGate simulator ${urls.simulator}   (invoice pages, /__sim/orders)

   Publishable key    ${seed.publishable_key}
   Region             ${seed.region_id} (EUR; ${seed.payment_providers.join(", ")})
   Database           ${stack.dbName} on ${stack.db.host}:${stack.db.port}${stack.db.embedded ? " (embedded PostgreSQL)" : ""}
   Logs               ${path.relative(REPO_ROOT, path.join(REPO_ROOT, ".demo", "logs"))}/ (simulator.log: every CoinGate request and callback)

   Invoices expire ${ttlSeconds}s after a coin is chosen (DEMO_INVOICE_TTL_SECONDS).
   Ctrl-C stops everything.
  ────────────────────────────────────────────────────────────────────────────
`)
}

main().catch((err) => {
  if (interruptedDuringStart) {
    say("[demo] interrupted; everything started so far is stopped")
    process.exit(130)
  }
  console.error(`\n[demo] failed: ${err && err.message ? err.message : err}`)
  process.exit(1)
})

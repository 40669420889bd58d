#!/usr/bin/env node
// @ts-check
"use strict"

const { startSimulator } = require("./index")

const USAGE = `Usage: node simulator/cli.js [options]

  --port <n>               port to listen on (default 4010; 0 = random)
  --host <addr>            address to bind (default 127.0.0.1)
  --token <t>              accepted API token; repeat for several (default sim_test_token)
  --callback-format <f>    form | json (default form)
  --time-scale <x>         scales expiry and the callback retry schedule (default 1)
  --latency-ms <n>         delay added to every /v2 response (default 0)
  --confirm-delay-ms <n>   invoice-page payments stay confirming this long before paid (default 0)
  --rate-limit <n>         requests per minute before 429 (default 200, CoinGate's; 0 = off)
  --order-quota <n>        orders per hour before 422 "Order limit exceeded" (default 500; 0 = off)
  --public-url <url>       base URL used in payment_url (default http://<host>:<port>)
  --state-file <path>      keep orders, refunds, payouts and the ledger in this file across restarts
                           (default: $COINGATE_SIM_STATE_FILE, else nothing is kept)
  --quiet                  do not log requests and callbacks
  --help                   show this help
`

/**
 * @param {string[]} argv @param {NodeJS.ProcessEnv} [env]
 * @returns {import("./index").SimulatorOptions & { help?: boolean }}
 */
function parseArgs(argv, env = process.env) {
  /** @type {import("./index").SimulatorOptions & { help?: boolean }} */
  const opts = { port: 4010, log: true }
  /** @type {string[]} */
  const tokens = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const eq = arg.indexOf("=")
    const name = eq > 0 ? arg.slice(0, eq) : arg
    const next = () => {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i]
      if (v === undefined) throw new Error(`${name} needs a value`)
      return v
    }
    const num = () => {
      const v = Number(next())
      if (!Number.isFinite(v) || v < 0) throw new Error(`${name} needs a non-negative number`)
      return v
    }
    switch (name) {
      case "--port": opts.port = num(); break
      case "--host": opts.host = next(); break
      case "--token": tokens.push(next()); break
      case "--callback-format": {
        const f = next()
        if (f !== "form" && f !== "json") throw new Error("--callback-format must be form or json")
        opts.callbackFormat = f
        break
      }
      case "--time-scale": opts.timeScale = num(); break
      case "--latency-ms": opts.latencyMs = num(); break
      case "--confirm-delay-ms": opts.confirmDelayMs = num(); break
      case "--rate-limit": opts.rateLimitPerMinute = num(); break
      case "--order-quota": opts.orderQuotaPerHour = num(); break
      case "--public-url": opts.publicUrl = next(); break
      case "--state-file": opts.stateFile = next(); break
      case "--quiet": opts.log = false; break
      case "--help": case "-h": opts.help = true; break
      default: throw new Error(`Unknown option ${arg}`)
    }
  }
  if (tokens.length) opts.apiTokens = tokens
  if (!opts.stateFile && env.COINGATE_SIM_STATE_FILE) opts.stateFile = env.COINGATE_SIM_STATE_FILE
  return opts
}

async function main() {
  let opts
  try {
    opts = parseArgs(process.argv.slice(2))
  } catch (e) {
    console.error(`${e instanceof Error ? e.message : e}\n\n${USAGE}`)
    process.exit(2)
  }
  if (opts.help) {
    console.log(USAGE)
    return
  }
  const sim = await startSimulator(opts)
  console.log(`CoinGate simulator listening on ${sim.url}`)
  console.log(`  API:      ${sim.url}/v2  (Authorization: Token ${sim.options.apiTokens[0]})`)
  console.log(`  Tokens:   ${sim.options.apiTokens.join(", ")}`)
  console.log(`  Control:  ${sim.url}/__sim/orders`)
  if (sim.options.stateFile) console.log(`  State:    ${sim.options.stateFile} (${sim.store.orders.size} orders loaded)`)
  let stopping = false
  /** @param {string} signal */
  const stop = (signal) => {
    if (stopping) return
    stopping = true
    console.log(`\n${signal}: stopping simulator`)
    sim.close().then(() => process.exit(0), () => process.exit(1))
  }
  process.on("SIGINT", () => stop("SIGINT"))
  process.on("SIGTERM", () => stop("SIGTERM"))
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e)
    process.exit(1)
  })
}

module.exports = { parseArgs }

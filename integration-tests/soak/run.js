#!/usr/bin/env node
"use strict"
/**
 * `npm run test:soak`: the full reliability suites, with the sizes CI only samples.
 *
 *   reconciliation        integration-tests/http/reconcile*.spec.ts
 *   faults, orderings     integration-tests/http/faults*.spec.ts    (SOAK=1: every fault kind on every path;
 *                                                                    FAULT_ORDERS=40, CALLBACK_ORDERINGS=100)
 *   forgery, bad input    integration-tests/http/forgery*.spec.ts   (FORGED_CALLBACKS=1000, BAD_INPUTS=1000)
 *   security property     integration-tests/http/security-property*.spec.ts (SECURITY_PROPERTY_RUNS=1000)
 *   money out property    integration-tests/http/money-out.property.spec.ts (REFUND_PROPERTY_RUNS=1000)
 *   crash                 integration-tests/soak/*.spec.ts          (medusa start, killed and restarted)
 *   several instances     integration-tests/multi-instance/*.spec.ts (two medusa start + Redis)
 *
 * Sizes already set in the environment win. Extra arguments go to jest (e.g. a file
 * pattern: `npm run test:soak -- forgery`). It finds a PostgreSQL like `npm test` does
 * (scripts/postgres.js) and needs Redis at REDIS_HOST:REDIS_PORT (127.0.0.1:6379) for the
 * several-instances suite, which is skipped, and said so, when Redis does not answer.
 * It ends with the figures of every suite and their totals: cases tried, faults injected,
 * orders checked, lost, doubled.
 */
const net = require("net")
const os = require("os")
const path = require("path")
const fs = require("fs")
const { spawn } = require("child_process")

const REPO_ROOT = path.resolve(__dirname, "../..")
const SIZES = { SOAK: "1", FAULT_ORDERS: "40", CALLBACK_ORDERINGS: "100", FORGED_CALLBACKS: "1000", BAD_INPUTS: "1000", SECURITY_PROPERTY_RUNS: "1000", REFUND_PROPERTY_RUNS: "1000", MULTI_ORDERS: "12" }
const say = (msg) => process.stdout.write(`[soak] ${msg}\n`)

function redisAnswers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, host)
    const done = (ok) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(2000, () => done(false))
    socket.on("error", () => done(false))
    socket.on("connect", () => socket.write("PING\r\n"))
    socket.on("data", (d) => done(d.toString().startsWith("+PONG")))
  })
}

/** Adds the figures of one suite's `[soak] name: {json}` line to the totals. */
function addFigures(totals, figures) {
  const num = (v) => (typeof v === "number" ? v : 0)
  totals.cases += num(figures.cases ?? figures.forged ?? figures.generated ?? figures.orders)
  totals.faultsInjected += num(figures.faultsInjected ?? figures.crashes)
  totals.ordersChecked += num(figures.ordersChecked ?? figures.orders)
  totals.lost += num(figures.lost)
  totals.doubled += num(figures.doubled)
  totals.stateChanges += figures.stateChanged === true ? 1 : 0
  totals.serverErrors += num(figures.serverErrors)
}

async function main() {
  const env = { ...process.env }
  for (const [k, v] of Object.entries(SIZES)) if (env[k] === undefined) env[k] = v
  env.NODE_OPTIONS = [env.NODE_OPTIONS, "--experimental-vm-modules"].filter(Boolean).join(" ")
  delete env.TEST_TYPE

  const patterns = [
    "**/integration-tests/http/reconcile*.spec.ts",
    "**/integration-tests/http/faults*.spec.ts",
    "**/integration-tests/http/forgery*.spec.ts",
    "**/integration-tests/http/security-property*.spec.ts",
    "**/integration-tests/http/money-out.property.spec.ts",
    "**/integration-tests/soak/*.spec.ts",
  ]
  const redisHost = env.REDIS_HOST || "127.0.0.1"
  const redisPort = Number(env.REDIS_PORT || 6379)
  const redis = await redisAnswers(redisHost, redisPort)
  if (redis) patterns.push("**/integration-tests/multi-instance/*.spec.ts")
  else say(`Redis does not answer at ${redisHost}:${redisPort}: the several-instances suite is SKIPPED`)

  let db = null
  try {
    db = await require(path.join(REPO_ROOT, "scripts/postgres")).ensurePostgres({ log: say, env })
  } catch (e) {
    say(`cannot provide a PostgreSQL: ${e && e.message ? e.message : e}`)
    process.stdout.write("0 passed, 1 failed\n")
    return 1
  }
  Object.assign(env, { DB_HOST: db.host, DB_PORT: String(db.port), DB_USERNAME: db.user, DB_PASSWORD: db.password })

  const report = path.join(os.tmpdir(), `jest-soak-${process.pid}.json`)
  const args = [require.resolve("jest/bin/jest"), "--runInBand", "--forceExit", "--json", `--outputFile=${report}`, "--testMatch", ...patterns, ...process.argv.slice(2)]
  say(`sizes: ${Object.keys(SIZES).map((k) => `${k}=${env[k]}`).join(" ")}`)
  const started = Date.now()
  const lines = []
  const exitCode = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
    // Figures lines are read whole, whichever chunks they arrive in.
    const scanner = () => {
      let pending = ""
      return (chunk) => {
        const text = chunk.toString()
        pending += text
        const complete = pending.slice(0, pending.lastIndexOf("\n") + 1)
        pending = pending.slice(complete.length)
        for (const m of complete.matchAll(/\[soak\] ([^:\n]+): (\{[^\n]*\})/g)) lines.push({ name: m[1].trim(), json: m[2] })
        return text
      }
    }
    const [scanOut, scanErr] = [scanner(), scanner()]
    child.stdout.on("data", (c) => process.stdout.write(scanOut(c)))
    child.stderr.on("data", (c) => process.stderr.write(scanErr(c)))
    for (const s of ["SIGINT", "SIGTERM"]) process.on(s, () => child.kill(s))
    child.on("exit", (code) => resolve(code ?? 1))
  })
  await db.stop().catch(() => undefined)

  let passed = 0
  let failed = 0
  try {
    const r = JSON.parse(fs.readFileSync(report, "utf8"))
    passed = r.numPassedTests || 0
    failed = (r.numFailedTests || 0) + (r.numRuntimeErrorTestSuites || 0)
  } catch {
    failed = 1
  }
  fs.rmSync(report, { force: true })
  if (exitCode !== 0 && failed === 0) failed = 1

  const totals = { cases: 0, faultsInjected: 0, ordersChecked: 0, lost: 0, doubled: 0, stateChanges: 0, serverErrors: 0 }
  process.stdout.write("\n=== soak figures ===\n")
  for (const { name, json } of lines) {
    let figures
    try {
      figures = JSON.parse(json)
    } catch {
      continue
    }
    addFigures(totals, figures)
    process.stdout.write(`${name.padEnd(22)} ${json}\n`)
  }
  if (!redis) process.stdout.write(`several instances      SKIPPED (no Redis at ${redisHost}:${redisPort})\n`)
  process.stdout.write(
    `TOTAL                  cases tried ${totals.cases}, faults injected ${totals.faultsInjected}, orders checked ${totals.ordersChecked}, ` +
      `lost ${totals.lost}, doubled ${totals.doubled}, state changes from forgeries ${totals.stateChanges}, 5xx on bad input ${totals.serverErrors} ` +
      `(${Math.round((Date.now() - started) / 1000)} s)\n`
  )
  process.stdout.write(`${passed} passed, ${failed} failed\n`)
  return failed === 0 ? 0 : 1
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err)
      process.stdout.write("0 passed, 1 failed\n")
      process.exit(1)
    }
  )
}

module.exports = { addFigures }

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
 *   state path            integration-tests/http/state-path.property.spec.ts (STATE_PROPERTY_RUNS=1000)
 *   money out property    integration-tests/http/money-out.property.spec.ts (REFUND_PROPERTY_RUNS=1000)
 *   crash                 integration-tests/soak/*.spec.ts          (medusa start, killed and restarted)
 *   several instances     integration-tests/multi-instance/*.spec.ts (two medusa start + Redis)
 *   property tests        integration-tests/http/*.property.spec.ts (sizes in SIZES below)
 *
 * `--reduced` is the `soak` suite of `npm test` (scripts/test.js), so that CI runs every path only
 * the soak takes and none can rot unseen: the crash and several-instances specs, and faults with
 * SOAK=1, at REDUCED_SIZES, with two jest workers and jest's --silent (TEST_LOGS=1 shows the logs).
 * The files whose soak differs only in size (SPECS' `sizeOnly`) are left to npm test's integration
 * suite, which runs them at their small defaults. `--summary=FILE` writes the counts as JSON for
 * scripts/test.js.
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
const SIZES = { SOAK: "1", FAULT_ORDERS: "40", CALLBACK_ORDERINGS: "100", FORGED_CALLBACKS: "1000", BAD_INPUTS: "1000", SECURITY_PROPERTY_RUNS: "1000", STATE_PROPERTY_RUNS: "1000", REFUND_PROPERTY_RUNS: "1000", MULTI_ORDERS: "12" }
/**
 * The soak's files. `sizeOnly`: npm test's integration suite runs the same file on the same paths
 * (only its sizes are smaller there), so the reduced soak, which runs in the same `npm test`, leaves
 * it out (scripts/__tests__ checks that every SIZES key is read by a spec). faults*.spec.ts takes
 * soak-only paths with SOAK=1; the soak/ and multi-instance/ specs run only here.
 */
const SPECS = [
  { pattern: "**/integration-tests/http/reconcile*.spec.ts", sizeOnly: true },
  { pattern: "**/integration-tests/http/faults*.spec.ts" },
  { pattern: "**/integration-tests/http/forgery*.spec.ts", sizeOnly: true },
  { pattern: "**/integration-tests/http/security-property*.spec.ts", sizeOnly: true },
  { pattern: "**/integration-tests/soak/*.spec.ts" },
  { pattern: "**/integration-tests/http/*.property.spec.ts", sizeOnly: true },
]
// CI's soak: every soak-only path, at sizes that keep the whole CI run inside its time.
const REDUCED_SIZES = { SOAK: "1", FAULT_ORDERS: "2", CALLBACK_ORDERINGS: "2", MULTI_ORDERS: "3" }
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

/** Our own flags (--reduced, --summary=FILE) apart from the arguments meant for jest. */
function parseArgs(argv) {
  const opts = { reduced: false, summary: null, jestArgs: [] }
  for (const arg of argv) {
    if (arg === "--reduced") opts.reduced = true
    else if (arg.startsWith("--summary=")) opts.summary = arg.slice("--summary=".length)
    else opts.jestArgs.push(arg)
  }
  return opts
}

async function main() {
  const { reduced, summary, jestArgs } = parseArgs(process.argv.slice(2))
  const sizes = reduced ? REDUCED_SIZES : SIZES
  const quiet = reduced && !process.env.TEST_LOGS
  const env = { ...process.env }
  for (const [k, v] of Object.entries(sizes)) if (env[k] === undefined) env[k] = v
  env.NODE_OPTIONS = [env.NODE_OPTIONS, "--experimental-vm-modules"].filter(Boolean).join(" ")
  delete env.TEST_TYPE

  const patterns = SPECS.filter((s) => !(reduced && s.sizeOnly)).map((s) => s.pattern)
  const redisHost = env.REDIS_HOST || "127.0.0.1"
  const redisPort = Number(env.REDIS_PORT || 6379)
  const redis = await redisAnswers(redisHost, redisPort)
  if (redis) patterns.push("**/integration-tests/multi-instance/*.spec.ts")
  else say(`!!! Redis does not answer at ${redisHost}:${redisPort}: the several-instances suite is SKIPPED !!!`)
  // CI starts a Redis (.ci/run): there a missing one is a failure, not a skip nobody reads.
  const redisMissingFails = !redis && env.CI === "true"

  let db = null
  try {
    db = await require(path.join(REPO_ROOT, "scripts/postgres")).ensurePostgres({ log: say, env })
  } catch (e) {
    say(`cannot provide a PostgreSQL: ${e && e.message ? e.message : e}`)
    writeSummary(summary, { passed: 0, failed: 1, skipped: 0, notes: ["no PostgreSQL"] })
    process.stdout.write("0 passed, 1 failed\n")
    return 1
  }
  Object.assign(env, { DB_HOST: db.host, DB_PORT: String(db.port), DB_USERNAME: db.user, DB_PASSWORD: db.password })

  const report = path.join(os.tmpdir(), `jest-soak-${process.pid}.json`)
  // Jest's arguments before --testMatch: that option takes every word after it as a pattern.
  const args = [
    require.resolve("jest/bin/jest"),
    ...jestArgs,
    // The reduced run's crash and several-instances specs mostly wait (restarts, reconciliation ticks): two at a time.
    ...(reduced ? ["--maxWorkers=2"] : ["--runInBand"]),
    ...(quiet ? ["--silent"] : []),
    ...(reduced ? ["--passWithNoTests"] : []),
    "--forceExit",
    "--json",
    `--outputFile=${report}`,
    "--testMatch",
    ...patterns,
  ]
  say(`${reduced ? "REDUCED sizes (CI)" : "sizes"}: ${Object.keys(sizes).map((k) => `${k}=${env[k]}`).join(" ")}`)
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
  let skipped = 0
  const notes = []
  try {
    const r = JSON.parse(fs.readFileSync(report, "utf8"))
    passed = r.numPassedTests || 0
    failed = (r.numFailedTests || 0) + (r.numRuntimeErrorTestSuites || 0)
    skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0)
    if (r.numRuntimeErrorTestSuites) notes.push(`${r.numRuntimeErrorTestSuites} test file(s) failed to run`)
  } catch {
    failed = 1
    notes.push(`jest exited with code ${exitCode} without a report`)
  }
  fs.rmSync(report, { force: true })
  if (exitCode !== 0 && failed === 0) failed = 1
  if (!redis) {
    notes.push(`several-instances suite not run: no Redis at ${redisHost}:${redisPort}`)
    if (redisMissingFails) failed++
    else skipped++
  }

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
  if (quiet) process.stdout.write("(jest ran --silent: no figures; TEST_LOGS=1 shows them)\n")
  if (!redis) process.stdout.write(`several instances      ${redisMissingFails ? "FAILED" : "SKIPPED"} (no Redis at ${redisHost}:${redisPort})\n`)
  process.stdout.write(
    `TOTAL                  cases tried ${totals.cases}, faults injected ${totals.faultsInjected}, orders checked ${totals.ordersChecked}, ` +
      `lost ${totals.lost}, doubled ${totals.doubled}, state changes from forgeries ${totals.stateChanges}, 5xx on bad input ${totals.serverErrors} ` +
      `(${Math.round((Date.now() - started) / 1000)} s)\n`
  )
  writeSummary(summary, { passed, failed, skipped, notes })
  process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}\n`)
  return failed === 0 ? 0 : 1
}

/** The counts for scripts/test.js (`--summary=FILE`). */
function writeSummary(file, counts) {
  if (file) fs.writeFileSync(file, JSON.stringify(counts))
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

module.exports = { addFigures, parseArgs, SIZES, REDUCED_SIZES, SPECS }

#!/usr/bin/env node
"use strict"
/**
 * `npm test`: runs the unit suite, then the integration suite, then the reduced soak,
 * then the browser suite, each in its own jest process (TEST_TYPE=unit|integration|browser,
 * see jest.config.js; the soak through integration-tests/soak/run.js --reduced). The browser
 * suite skips itself when Chromium is not installed.
 *
 *   npm test                                  every suite
 *   npm test -- --unit                        unit suite only (no database needed)
 *   npm test -- --integration                 integration suite only
 *   npm test -- --soak                        reduced soak only: every `npm run test:soak` spec
 *                                             (crash, several instances on Redis, faults with SOAK=1,
 *                                             forgery, security and property tests) at small sizes
 *   npm test -- --browser                     browser suite only (headless Chromium)
 *   npm test -- --testPathPattern callback    any other argument goes to jest
 *
 * Before the integration (and browser) suite it finds a PostgreSQL, or starts an embedded one
 * (scripts/postgres.js), and hands its coordinates to jest as DB_HOST, DB_PORT,
 * DB_USERNAME and DB_PASSWORD. DB_* from the environment, .env.test or .env
 * say where to look first (see .env.template).
 *
 * The last line printed is `N passed, M failed` (CI reads it). A suite that
 * could not run at all (jest crashed, a test file failed to load, no database)
 * counts as one failure so the line never reads "0 failed" for a broken run.
 * Exit status: 0 when everything passed, 1 otherwise, 130/143 if interrupted.
 */
const fs = require("fs")
const os = require("os")
const path = require("path")
const { spawn } = require("child_process")

const REPO_ROOT = path.resolve(__dirname, "..")
const SUITES = ["unit", "integration", "soak", "browser"]
const NEEDS_DB = new Set(["integration", "soak", "browser"])

const say = (msg) => process.stdout.write(`[test] ${msg}\n`)

/** Splits our own flags (--unit, --integration, --soak, --browser) from the arguments meant for jest. */
function parseArgs(argv) {
  const picked = new Set()
  const jestArgs = []
  for (const arg of argv) {
    if (arg === "--unit") picked.add("unit")
    else if (arg === "--integration") picked.add("integration")
    else if (arg === "--soak") picked.add("soak")
    else if (arg === "--browser") picked.add("browser")
    else jestArgs.push(arg)
  }
  return { suites: SUITES.filter((s) => picked.size === 0 || picked.has(s)), jestArgs }
}

/**
 * Counts of one suite from jest's --json report (or its absence).
 * Returns { passed, failed, skipped, notes[] }.
 */
function countSuite({ exitCode, report, error }) {
  const notes = []
  if (error) return { passed: 0, failed: 1, skipped: 0, notes: [error] }
  if (!report) {
    notes.push(`jest exited with code ${exitCode} without a report`)
    return { passed: 0, failed: 1, skipped: 0, notes }
  }
  const passed = report.numPassedTests || 0
  let failed = report.numFailedTests || 0
  const skipped = (report.numPendingTests || 0) + (report.numTodoTests || 0)
  const brokenFiles = report.numRuntimeErrorTestSuites || 0
  if (brokenFiles) {
    failed += brokenFiles
    notes.push(`${brokenFiles} test file(s) failed to run`)
  }
  if (exitCode !== 0 && failed === 0) {
    failed = 1
    notes.push(`jest exited with code ${exitCode} although no test failed`)
  }
  return { passed, failed, skipped, notes }
}

/** Totals over all suites and the exact summary line CI looks for. */
function summarize(counts) {
  const passed = counts.reduce((n, c) => n + c.passed, 0)
  const failed = counts.reduce((n, c) => n + c.failed, 0)
  // Skipped tests (browser suites without Chromium) are said, never counted as passed.
  const skipped = counts.reduce((n, c) => n + (c.skipped || 0), 0)
  return { passed, failed, skipped, line: `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}` }
}

/** DB_* settings from .env.test / .env, without overriding the environment (like Medusa's loadEnv). */
function loadDbEnv(env = process.env, dir = REPO_ROOT) {
  let parse
  try {
    parse = require("dotenv").parse
  } catch {
    return
  }
  for (const file of [".env.test", ".env"]) {
    let vars
    try {
      vars = parse(fs.readFileSync(path.join(dir, file)))
    } catch {
      continue
    }
    for (const [key, value] of Object.entries(vars)) {
      if (key.startsWith("DB_") && env[key] === undefined) env[key] = value
    }
  }
}

/** A jest run of one suite (TEST_TYPE picks its files in jest.config.js). */
function jestCommand(suite, jestBin, reportFile, jestArgs) {
  return [
    jestBin,
    // Each integration spec boots its own Medusa app (its own database, ports and
    // simulator), so two run side by side; browser specs drive whole stores: one at a time.
    ...(suite === "integration" ? [`--maxWorkers=${process.env.TEST_WORKERS || 2}`] : ["--runInBand"]),
    "--forceExit",
    // Medusa logs every boot and migration through the console: keep CI's output to the
    // test results (failures still print in full). TEST_LOGS=1 shows everything.
    ...(suite !== "unit" && !process.env.TEST_LOGS ? ["--silent"] : []),
    "--passWithNoTests",
    "--json",
    `--outputFile=${reportFile}`,
    ...jestArgs,
  ]
}

/**
 * The reduced soak: `npm run test:soak`'s own runner (integration-tests/soak/run.js) with
 * --reduced, so what CI runs is what the full soak runs. Its counts come back in a summary file
 * shaped like countSuite's answer.
 */
function soakCommand(summaryFile, jestArgs) {
  return [path.join(REPO_ROOT, "integration-tests/soak/run.js"), "--reduced", `--summary=${summaryFile}`, ...jestArgs]
}

function readSoakSummary(file, exitCode) {
  try {
    const c = JSON.parse(fs.readFileSync(file, "utf8"))
    const counts = { passed: c.passed || 0, failed: c.failed || 0, skipped: c.skipped || 0, notes: c.notes || [] }
    if (exitCode !== 0 && counts.failed === 0) {
      counts.failed = 1
      counts.notes.push(`the soak runner exited with code ${exitCode} although no test failed`)
    }
    return counts
  } catch {
    return { passed: 0, failed: 1, skipped: 0, notes: [`the soak runner exited with code ${exitCode} without a summary`] }
  } finally {
    fs.rmSync(file, { force: true })
  }
}

function readReport(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"))
  } catch {
    return null
  } finally {
    fs.rmSync(file, { force: true })
  }
}

async function main() {
  const { suites, jestArgs } = parseArgs(process.argv.slice(2))
  const jestBin = require.resolve("jest/bin/jest")
  const baseEnv = { ...process.env }
  const nodeOptions = [baseEnv.NODE_OPTIONS, "--experimental-vm-modules"].filter(Boolean).join(" ")

  let db = null
  let child = null
  let interrupted = null
  const onSignal = (signal) => {
    if (interrupted) {
      // Second signal: stop waiting for jest.
      if (child) child.kill("SIGKILL")
      return
    }
    interrupted = signal
    process.stdout.write(`\n[test] ${signal}: stopping\n`)
    if (child) child.kill(signal)
  }
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, onSignal)

  const counts = []
  const lines = []
  try {
    for (const suite of suites) {
      if (interrupted) break
      const t0 = Date.now()
      let result

      if (NEEDS_DB.has(suite) && !db) {
        loadDbEnv(baseEnv)
        try {
          db = await require("./postgres").ensurePostgres({ log: say, env: baseEnv })
        } catch (err) {
          say(`cannot provide a PostgreSQL: ${err && err.message ? err.message : err}`)
        }
        if (interrupted) break
      }

      if (NEEDS_DB.has(suite) && !db) {
        result = { error: `no PostgreSQL available, ${suite} suite not run` }
      } else {
        const env = { ...baseEnv, TEST_TYPE: suite, NODE_OPTIONS: nodeOptions }
        if (NEEDS_DB.has(suite)) {
          Object.assign(env, {
            DB_HOST: db.host,
            DB_PORT: String(db.port),
            DB_USERNAME: db.user,
            DB_PASSWORD: db.password,
          })
        }
        const reportFile = path.join(os.tmpdir(), `jest-${suite}-${process.pid}-${Date.now()}.json`)
        const args = suite === "soak" ? soakCommand(reportFile, jestArgs) : jestCommand(suite, jestBin, reportFile, jestArgs)
        say(`running the ${suite} suite${jestArgs.length ? ` (jest args: ${jestArgs.join(" ")})` : ""}`)
        const exitCode = await new Promise((resolve) => {
          child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: "inherit" })
          child.on("error", (err) => {
            say(`could not start jest: ${err.message}`)
            resolve(1)
          })
          child.on("exit", (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] || 0)))
        })
        child = null
        result = suite === "soak" ? { counts: readSoakSummary(reportFile, exitCode) } : { exitCode, report: readReport(reportFile) }
      }

      const c = result.counts || countSuite(result)
      counts.push(c)
      const secs = ((Date.now() - t0) / 1000).toFixed(1)
      lines.push(
        `${suite} suite: passed=${c.passed} failed=${c.failed} skipped=${c.skipped} (${secs}s)` +
          (c.notes.length ? ` - ${c.notes.join("; ")}` : "")
      )
    }
  } finally {
    if (db) await db.stop().catch((err) => say(`stopping PostgreSQL: ${err.message}`))
  }

  for (const line of lines) say(line)
  if (interrupted) say(`interrupted by ${interrupted}; remaining suites skipped`)
  const total = summarize(counts)
  process.stdout.write(`${total.line}\n`)
  if (interrupted) return interrupted === "SIGTERM" ? 143 : interrupted === "SIGHUP" ? 129 : 130
  return total.failed === 0 ? 0 : 1
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err)
      process.stdout.write(`0 passed, 1 failed\n`)
      process.exit(1)
    }
  )
}

module.exports = { parseArgs, countSuite, summarize, loadDbEnv, readSoakSummary }

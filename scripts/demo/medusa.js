"use strict"
/** The demo's Medusa commands: `medusa <args>` to completion, the seed, and `medusa start` until /health answers. */
const fs = require("fs")
const path = require("path")
const http = require("http")
const { spawn } = require("child_process")

const REPO_ROOT = path.resolve(__dirname, "../..")
const MEDUSA_BIN = path.join(REPO_ROOT, "node_modules", ".bin", "medusa")

/** The `medusa` command of the project in `cwd` (this repository's by default). */
const medusaBinOf = (cwd) => (cwd === REPO_ROOT ? MEDUSA_BIN : path.join(cwd, "node_modules", ".bin", "medusa"))

/**
 * Runs `cmd args` to completion with its output appended to logFile (a header line first).
 * Resolves { code, text }: code 127 when it could not start, 128 when killed by a signal
 * (also after timeoutMs).
 */
function runLogged(cmd, args, { cwd, env, logFile, timeoutMs, header = `${cmd} ${args.join(" ")}` }) {
  return new Promise((resolve) => {
    const out = fs.createWriteStream(logFile, { flags: "a" })
    out.write(`\n---- ${new Date().toISOString()} ${header}\n`)
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let text = ""
    const onData = (chunk) => {
      text += chunk
      out.write(chunk)
    }
    child.stdout.on("data", onData)
    child.stderr.on("data", onData)
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs)
    child.on("error", (err) => {
      clearTimeout(timer)
      out.end(() => resolve({ code: 127, signal: null, text: `${text}\n${err.message}` }))
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      out.end(() => resolve({ code: code ?? (signal ? 128 : 1), signal, text }))
    })
  })
}

/**
 * Runs `medusa <args>` to completion with its output in logFile. Rejects with the last
 * lines of that output when it fails. Resolves the whole output. `cwd`: the Medusa project
 * (default this repository; the compatibility suite passes its host stores).
 */
async function runMedusa(args, { env, logFile, timeoutMs = 300_000, cwd = REPO_ROOT }) {
  const res = await runLogged(medusaBinOf(cwd), args, { cwd, env, logFile, timeoutMs, header: `medusa ${args.join(" ")}` })
  if (res.code === 0) return res.text
  const tail = res.text.trim().split("\n").slice(-25).join("\n")
  throw new Error(`medusa ${args.join(" ")} failed (${res.signal || `exit ${res.code}`}); see ${logFile}\n${tail}`)
}

/** `medusa exec ./src/scripts/seed-demo.ts`, and the JSON line it prints. */
async function seedDemo({ env, logFile, cwd = REPO_ROOT }) {
  const text = await runMedusa(["exec", "./src/scripts/seed-demo.ts"], { env, logFile, cwd })
  const line = text.split("\n").find((l) => l.startsWith("DEMO_SEED_RESULT "))
  if (!line) throw new Error(`the seed script printed no DEMO_SEED_RESULT line; see ${logFile}`)
  return JSON.parse(line.slice("DEMO_SEED_RESULT ".length))
}

/** Waits until GET url answers 200. */
async function waitForHttp(url, { timeoutMs = 120_000, child } = {}) {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`the process serving ${url} exited with code ${child.exitCode}`)
    const ok = await new Promise((resolve) => {
      const req = http.get(url, (res) => {
        res.resume()
        resolve(res.statusCode === 200)
      })
      req.on("error", () => resolve(false))
      req.setTimeout(2000, () => req.destroy())
    })
    if (ok) return
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Starts `medusa start` in its own process group (in `cwd`, default this repository); resolves once /health answers. */
async function startMedusa({ env, port, logFile, timeoutMs = 180_000, cwd = REPO_ROOT }) {
  const out = fs.openSync(logFile, "a")
  fs.writeSync(out, `\n---- ${new Date().toISOString()} medusa start -H localhost -p ${port}\n`)
  // Only this machine may reach the demo store (-H): it has a known admin password and a test API token.
  const child = spawn(medusaBinOf(cwd), ["start", "-H", "localhost", "-p", String(port)], {
    cwd,
    env,
    stdio: ["ignore", out, out],
    detached: true,
  })
  fs.closeSync(out)
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {}
  }
  // Last resort when this process dies without stop(): do not leave the store running.
  const onExit = () => killGroup("SIGKILL")
  process.on("exit", onExit)
  const exited = new Promise((resolve) => child.once("exit", resolve))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      killGroup("SIGTERM")
      const timer = setTimeout(() => killGroup("SIGKILL"), 10_000)
      await exited
      clearTimeout(timer)
    }
    killGroup("SIGKILL") // anything the store started and left behind
    process.removeListener("exit", onExit)
  }
  try {
    await waitForHttp(`http://localhost:${port}/health`, { timeoutMs, child })
  } catch (err) {
    await stop()
    const tail = fs.readFileSync(logFile, "utf8").trim().split("\n").slice(-25).join("\n")
    throw new Error(`${err.message}; see ${logFile}\n${tail}`)
  }
  return { child, stop }
}

module.exports = { medusaBinOf, runLogged, runMedusa, seedDemo, waitForHttp, startMedusa }

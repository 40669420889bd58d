"use strict"
/**
 * Child processes of the benchmark: every one runs in its own process group and is
 * tracked, so that Ctrl-C, SIGTERM or an exception ends them all (killAll), and a
 * crash of this process still kills them (the `exit` hook sends SIGKILL).
 */
const fs = require("fs")
const http = require("http")
const path = require("path")
const { spawn } = require("child_process")

const REPO_ROOT = path.resolve(__dirname, "../..")
const MEDUSA_BIN = path.join(REPO_ROOT, "node_modules", ".bin", "medusa")

/** @type {Set<import("child_process").ChildProcess>} */
const live = new Set()

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal)
  } catch {}
}

process.on("exit", () => {
  for (const child of live) killGroup(child, "SIGKILL")
})

/** Ends every tracked child: SIGTERM, then SIGKILL after `graceMs`. */
async function killAll(graceMs = 8000) {
  await Promise.all([...live].map((child) => stopChild(child, graceMs)))
}

async function stopChild(child, graceMs = 8000) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve))
    killGroup(child, "SIGTERM")
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs)
    await exited
    clearTimeout(timer)
  }
  killGroup(child, "SIGKILL") // whatever it started and left behind
  live.delete(child)
}

/** Spawns `medusa <args>` in `cwd` (its own process group, output appended to logFile). */
function spawnMedusa(args, { cwd = REPO_ROOT, env, logFile }) {
  const out = fs.openSync(logFile, "a")
  fs.writeSync(out, `\n---- ${new Date().toISOString()} (cwd ${path.relative(REPO_ROOT, cwd) || "."}) medusa ${args.join(" ")}\n`)
  const child = spawn(MEDUSA_BIN, args, { cwd, env, stdio: ["ignore", out, out], detached: true })
  fs.closeSync(out)
  live.add(child)
  child.once("exit", () => live.delete(child))
  return child
}

function tail(file, n = 30) {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-n).join("\n")
  } catch {
    return ""
  }
}

/** Runs `medusa <args>` to completion; resolves its output (read back from the log). */
async function runMedusa(args, { cwd = REPO_ROOT, env, logFile, timeoutMs = 600_000 }) {
  const start = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0
  const child = spawnMedusa(args, { cwd, env, logFile })
  const timer = setTimeout(() => killGroup(child, "SIGTERM"), timeoutMs)
  const [code, signal] = await new Promise((resolve) => child.once("exit", (c, s) => resolve([c, s])))
  clearTimeout(timer)
  killGroup(child, "SIGKILL")
  const text = fs.readFileSync(logFile, "utf8").slice(start)
  if (code !== 0) {
    throw new Error(`medusa ${args.join(" ")} failed (${signal || `exit ${code}`}); see ${logFile}\n${tail(logFile)}`)
  }
  return text
}

/** GET url: resolves the status code, or 0 when nothing answers. */
function httpStatus(url, timeoutMs = 2000) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume()
      resolve(res.statusCode || 0)
    })
    req.on("error", () => resolve(0))
    req.setTimeout(timeoutMs, () => req.destroy())
  })
}

/**
 * Starts `medusa start -p port` in `cwd` and waits for GET /health to answer 200.
 * Resolves { child, pid, bootMs, stop() }; bootMs is spawn -> first 200 (polled every 100 ms).
 */
async function startStore({ cwd = REPO_ROOT, env, port, logFile, timeoutMs = 240_000 }) {
  const t0 = performance.now()
  const child = spawnMedusa(["start", "-p", String(port)], { cwd, env, logFile })
  const url = `http://localhost:${port}/health`
  const until = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`medusa start exited (${child.signalCode || child.exitCode}) before answering; see ${logFile}\n${tail(logFile)}`)
    }
    if ((await httpStatus(url)) === 200) break
    if (Date.now() > until) {
      await stopChild(child)
      throw new Error(`${url} did not answer within ${timeoutMs / 1000}s; see ${logFile}\n${tail(logFile)}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  const bootMs = performance.now() - t0
  return { child, pid: child.pid, bootMs, stop: () => stopChild(child) }
}

/** Descendants of pid (pid included), from /proc. */
function processTree(pid) {
  const children = new Map()
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8")
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1])
      if (!children.has(ppid)) children.set(ppid, [])
      children.get(ppid).push(Number(entry))
    } catch {}
  }
  const out = []
  const stack = [pid]
  while (stack.length) {
    const p = stack.pop()
    out.push(p)
    stack.push(...(children.get(p) || []))
  }
  return out
}

function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** Resident memory of a process and its descendants, in bytes: { total, processes: [{ pid, rss, cmd }] }. */
function rssTree(pid) {
  const processes = processTree(pid).map((p) => {
    let cmd = ""
    try {
      cmd = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").join(" ").trim().slice(0, 120)
    } catch {}
    return { pid: p, rss: rssOf(p), cmd }
  })
  return { total: processes.reduce((a, p) => a + p.rss, 0), processes }
}

module.exports = { REPO_ROOT, MEDUSA_BIN, spawnMedusa, runMedusa, startStore, stopChild, killAll, rssOf, rssTree, httpStatus, tail }

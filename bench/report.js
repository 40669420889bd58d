"use strict"
/** Renders a benchmark result (bench/run.js) as Markdown. Pure. */
const { summary, median, ratioInterval } = require("./lib/stats")
const { STEPS } = require("./checkout")
const { consoleSection } = require("./console")

const ms = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : "–")
const sec = (x) => (Number.isFinite(x) ? (x / 1000).toFixed(1) : "–")
const mib = (b) => (Number.isFinite(b) ? (b / 2 ** 20).toFixed(0) : "–")
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "–")
const verdict = (ok) => (ok ? "met" : "**missed**")

function countRoutes(samples) {
  const counts = {}
  for (const s of samples) for (const r of s.coingateRequests || []) counts[r] = (counts[r] || 0) + 1
  return Object.entries(counts)
    .map(([r, n]) => `${(n / samples.length).toFixed(2)} × \`${r}\``)
    .join(", ")
}

function checkoutSection(r) {
  const co = r.checkout
  const cg = summary(co.coingate.map((s) => s.totalMs))
  const sy = summary(co.system.map((s) => s.totalMs))
  const ci = ratioInterval(
    co.coingate.map((s) => s.totalMs),
    co.system.map((s) => s.totalMs)
  )
  const out = []
  out.push(`## 1. Checkout`)
  out.push("")
  out.push(
    `Complete store-API checkouts (cart with one item → payment collection → payment session → pay → complete), ` +
      `one at a time, CoinGate and \`pp_system_default\` interleaved (${co.warmup} warm-up pairs not counted).`
  )
  out.push("")
  out.push(`| | CoinGate | system provider | CoinGate ÷ system |`)
  out.push(`|---|---:|---:|---:|`)
  out.push(`| median (ms) | ${ms(cg.p50)} | ${ms(sy.p50)} | **${ratio(cg.p50, sy.p50)}** (90 % bootstrap interval ${ci.lo.toFixed(2)}–${ci.hi.toFixed(2)}) |`)
  out.push(`| p95 (ms) | ${ms(cg.p95)} | ${ms(sy.p95)} | ${ratio(cg.p95, sy.p95)} |`)
  out.push(`| checkouts (n) | ${cg.n} | ${sy.n} | |`)
  const withCapture = co.system.filter((s) => Number.isFinite(s.captureMs)).map((s) => s.totalMs + s.captureMs)
  if (withCapture.length) {
    const sc = summary(withCapture)
    out.push(
      `| system checkout + capturing its payment later (admin API), median (ms) | | ${ms(sc.p50)} | ${ratio(cg.p50, sc.p50)} |`
    )
  }
  out.push("")
  if (r.coingateDelayMs === 0) {
    out.push(`Target: CoinGate's median within 1.10× of the system provider's at zero CoinGate delay: ${verdict(cg.p50 / sy.p50 <= 1.1)}.`)
    out.push("")
  }
  out.push(`Profile: median time per step (ms), same ${cg.n} + ${sy.n} checkouts:`)
  out.push("")
  out.push(`| step | CoinGate | system | difference |`)
  out.push(`|---|---:|---:|---:|`)
  for (const step of STEPS) {
    const a = median(co.coingate.map((s) => s.steps[step]))
    const b = median(co.system.map((s) => s.steps[step]))
    out.push(`| ${step} | ${ms(a)} | ${ms(b)} | ${Number.isFinite(a - b) ? (a - b >= 0 ? "+" : "") + ms(a - b) : "–"} |`)
  }
  out.push("")
  {
    const dComplete = median(co.coingate.map((s) => s.steps.complete)) - median(co.system.map((s) => s.steps.complete))
    const captures = co.system.filter((s) => Number.isFinite(s.captureMs)).map((s) => s.captureMs)
    out.push(
      `The complete step carries the difference (${dComplete >= 0 ? "+" : ""}${ms(dComplete)} ms at the median): completing a paid CoinGate cart ` +
        `reads the order from CoinGate once and reports the payment captured, so Medusa records the capture (capture row, payment and ` +
        `collection updates, order transaction) before it answers, where a system-provider payment is only authorized` +
        `${captures.length ? ` and that bookkeeping waits for the merchant's capture (${ms(median(captures))} ms through the admin API, n ${captures.length})` : ""}.`
    )
  }
  out.push("")
  out.push(`CoinGate API requests per CoinGate checkout: ${countRoutes(co.coingate) || "none"}.`)
  if (co.profile) out.push(...profileSection(co.profile))
  if (co.errors.length || (co.problems && co.problems.length)) {
    out.push("")
    out.push(`Errors: ${[...co.errors, ...(co.problems || [])].slice(0, 5).join("; ")}`)
  }
  out.push("")
  return out
}

function profileSection(p) {
  const out = [""]
  out.push(
    `Inside the store (\`--profile\`: bench/lib/profile-hook.js; medians per request): time to answer, PostgreSQL queries ` +
      `made for the request and their time, outgoing HTTP requests (CoinGate) and their time. The hook itself slows every request a little.`
  )
  out.push("")
  out.push(`| step | provider | n | answer (ms) | queries | query time (ms) | CoinGate calls | CoinGate time (ms) | rest (ms) |`)
  out.push(`|---|---|---:|---:|---:|---:|---:|---:|---:|`)
  for (const step of [...STEPS, "capture"]) {
    for (const provider of ["pp_coingate_coingate", "pp_system_default"]) {
      const x = p.byStep[step] && p.byStep[step][provider]
      if (!x) continue
      out.push(
        `| ${step === "capture" ? "later capture (admin API)" : step} | ${provider === "pp_system_default" ? "system" : "CoinGate"} | ${x.n} | ${ms(x.ms)} | ${x.queries} | ${ms(x.queryMs)} | ${x.outgoing} | ${ms(x.outgoingMs)} | ${ms(x.ms - x.queryMs - x.outgoingMs)} |`
      )
    }
  }
  const diffs = Object.entries(p.sqlDiff || {}).filter(([, rows]) => rows.length)
  if (diffs.length) {
    out.push("")
    out.push(`Statements whose count per request differs between the providers (CoinGate vs system):`)
    out.push("")
    for (const [step, rows] of diffs) {
      out.push(`- ${step}: ${rows.slice(0, 12).map((r) => `\`${r.key}\` ${r.coingate.toFixed(1)} vs ${r.system.toFixed(1)}`).join("; ")}`)
    }
  }
  return out
}

function callbackSection(r) {
  const cb = r.callbacks
  const c = r.config.callbacks
  const row = (name, how, res, rate) => {
    const s = summary(res.latencies)
    return `| ${name} | ${how} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.max)} | ${rate} | ${res.failures.length} |`
  }
  const seq = summary(cb.pluginSequential.latencies)
  const out = []
  out.push(`## 2. Callbacks: \`paid\` callback → captured payment`)
  out.push("")
  out.push(
    `Each callback completes a checkout left at the CoinGate step (the callback places the order and captures the payment). ` +
      `Plugin route: time until it answers (it applies the callback first; every capture checked in the database). ` +
      `Medusa's route: time until the payment's \`captured_at\` (it answers at once and processes the callback about 5 s later).`
  )
  out.push("")
  out.push(`| route | sent | n | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | callbacks/s | failures |`)
  out.push(`|---|---|---:|---:|---:|---:|---:|---:|---:|`)
  out.push(row("`POST /hooks/coingate` (plugin)", "one at a time", cb.pluginSequential, "–"))
  out.push(
    row(
      "`POST /hooks/coingate` (plugin)",
      `burst, ${cb.pluginBurst.concurrency} in flight`,
      cb.pluginBurst,
      `**${cb.pluginBurst.ratePerSecond.toFixed(1)}** (${summary(cb.pluginBurst.latencies).n} in ${sec(cb.pluginBurst.wallMs)} s)`
    )
  )
  out.push(row("`POST /hooks/payment/coingate_coingate` (Medusa)", `${cb.medusaPaced.paceMs} ms apart`, cb.medusaPaced, "–"))
  out.push(
    row(
      "`POST /hooks/payment/coingate_coingate` (Medusa)",
      "burst, all at once",
      cb.medusaBurst,
      `**${cb.medusaBurst.ratePerSecond.toFixed(1)}** (${summary(cb.medusaBurst.latencies).n} in ${sec(cb.medusaBurst.wallMs)} s)`
    )
  )
  out.push("")
  out.push(`Target: p95 under 1 s through the plugin's route (one at a time): ${verdict(seq.p95 < 1000)} (${ms(seq.p95)} ms, n ${seq.n}).`)
  if (r.checkout && r.checkout.coingate.length) {
    const complete = summary(r.checkout.coingate.map((s) => s.steps.complete))
    out.push(
      `For comparison, completing a paid CoinGate cart through the store API (the \`complete\` step of section 1, the same cart completion a callback runs) ` +
        `took p50 ${ms(complete.p50)} / p95 ${ms(complete.p95)} ms (n ${complete.n}) earlier in this run; the callback adds the verification read, the plugin's state loads and its record ` +
        `(p50 ${seq.p50 - complete.p50 >= 0 ? "+" : "−"}${ms(Math.abs(seq.p50 - complete.p50))} ms; not interleaved, so a change of load between the two phases shows here too).`
    )
  }
  out.push(
    `Callbacks/s = callbacks captured ÷ (last capture − first callback sent). ` +
      `CoinGate API requests per callback: plugin route ${cb.pluginSequential.requestsPerCallback.toFixed(2)}, ` +
      `Medusa's route ${cb.medusaPaced.requestsPerCallback.toFixed(2)} (both Medusa's subscriber and the plugin's act on it).`
  )
  if (seq.n < 100) out.push(`With n < 100, p99 is close to the maximum.`)
  if (cb.profile && cb.profile.plugin) {
    const x = cb.profile.plugin
    out.push("")
    out.push(
      `Inside the store (\`--profile\`, all ${x.n} callbacks to the plugin's route, medians): answer ${ms(x.ms)} ms, ${x.queries} PostgreSQL queries (${ms(x.queryMs)} ms), ` +
        `${x.outgoing} CoinGate calls (${ms(x.outgoingMs)} ms), rest ${ms(x.ms - x.queryMs - x.outgoingMs)} ms. Most frequent statements per callback: ` +
        cb.profile.statements.map((st) => `\`${st.key}\` ${st.perRequest.toFixed(1)}`).join("; ") +
        "."
    )
  }
  out.push("")
  void c
  return out
}

function reconcileSection(r) {
  const rc = r.reconcile
  const out = []
  out.push(`## 3. Reconciliation: one pass of \`reconcileOnce\``)
  out.push("")
  out.push(
    `${rc.past.sessions.toLocaleString("en")} past CoinGate sessions seeded by SQL in ${sec(rc.seedPastMs)} s ` +
      `(${rc.past.records.toLocaleString("en")} with a finished record; ${(rc.past.sessions - rc.past.records).toLocaleString("en")} abandoned over 48 h ago without one; ` +
      `${rc.totalSessions.toLocaleString("en")} payment sessions in the database in all). Each scenario adds a fresh set of open sessions ` +
      `(half with a due record, half without; 10 % paid at CoinGate with the callback lost), runs one pass, then retires them; ` +
      `a first unreported pass warms the process up. ` +
      `"default" is the plugin's default share of CoinGate's rate limit, ${rc.defaultBudget} requests per minute; ` +
      `"no limit" shows what the whole backlog costs.`
  )
  out.push("")
  out.push(`| scenario | runs | open | budget | due | checked | applied | left for later | errors | paid captured | CoinGate requests (simulator) | requests counted by the pass | wall time (ms) |`)
  out.push(`|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|`)
  // Repetitions of one scenario (labels ending in "(n)") are shown as one row with their median.
  const groups = new Map()
  for (const sc of rc.scenarios) {
    if (sc.label.startsWith("warm-up")) continue
    const key = sc.label.replace(/\s*\(\d+\)$/, "")
    if (!groups.has(key)) groups.set(key, [])
    groups.get(key).push(sc)
  }
  let budgetHeld = true
  for (const [label, runs] of groups) {
    const med = (f) => median(runs.map(f))
    const first = runs[0]
    for (const sc of runs) if (sc.budgetLabel === "default" && sc.simRequests > sc.budget) budgetHeld = false
    const rng = (f) => {
      const xs = runs.map(f)
      return runs.length > 1 ? `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})` : ms(xs[0])
    }
    out.push(
      `| ${label} | ${runs.length} | ${first.open.toLocaleString("en")} | ${first.budgetLabel === "default" ? `default (${first.budget}/min)` : "no limit"} | ` +
        `${med((s) => s.figures.due)} | ${med((s) => s.figures.checked)} | ${med((s) => s.figures.applied)} | ${med((s) => s.figures.skippedByBudget)} | ` +
        `${med((s) => s.figures.errors)} | ${med((s) => s.capturedOfPaid)}/${med((s) => s.openPaid)} | ${med((s) => s.simRequests)} | ${med((s) => s.figures.requests)} | ${rng((s) => s.wallMs)} |`
    )
  }
  out.push("")
  const perOpen = []
  for (const [, runs] of groups) {
    const first = runs[0]
    if (first.budgetLabel !== "unlimited" || !first.open) continue
    const perChecked = median(runs.map((s) => s.wallMs / Math.max(1, s.figures.checked)))
    const reqPerChecked = median(runs.map((s) => s.simRequests / Math.max(1, s.figures.checked)))
    perOpen.push(`${reqPerChecked.toFixed(2)} requests and ${ms(perChecked)} ms per session read at ${first.open.toLocaleString("en")} open (${runs.length} run${runs.length > 1 ? "s" : ""})`)
  }
  const zero = rc.scenarios.find((s) => s.open === 0)
  out.push(
    `Cost follows the open sessions: ${zero ? `with none open the pass makes ${zero.simRequests} requests in ${ms(zero.wallMs)} ms over the past ones; ` : ""}` +
      `${perOpen.join("; ")} (one read per session: capturing a paid order reuses the order just read). ` +
      `Request budget held (CoinGate requests ≤ budget in every budgeted pass): ${budgetHeld ? "yes" : "**no**"}.`
  )
  const missed = rc.scenarios.filter((s) => s.open && s.figures.due < s.open && !s.label.startsWith("warm-up"))
  if (missed.length) {
    const sc = missed[missed.length - 1]
    out.push("")
    out.push(
      `**Not every open session was found**: with ${sc.open.toLocaleString("en")} open the pass found ${sc.figures.due} due ` +
        `(${sc.open / 2} records plus ${sc.figures.due - sc.open / 2} of the ${sc.open / 2} sessions without a record). ` +
        `\`loadUnrecordedSessions\` (src/sources/reconcile.ts) pages through the window up to \`batchSize\` sessions without a record and a bounded number of pages; ` +
        `sessions beyond that wait for a later pass (here ${sc.openPaid - sc.capturedOfPaid} of ${sc.openPaid} paid orders were not captured in this pass).`
    )
  }
  out.push("")
  return out
}

function footprintSection(r) {
  const b = r.boots
  const out = []
  out.push(`## 4. Footprint: the development store with and without the plugin`)
  out.push("")
  out.push(
    `Boot time: \`medusa start\` spawned → \`/health\` answers 200. RSS: resident memory of the store's process tree, ` +
      `3 s after it answered, and 3 s after the first ${(r.footprintWithout || {}).checkoutPairs || ""} checkout pairs (with the plugin: the pairs of section 1, ` +
      `a CoinGate and a system checkout and an admin capture each; without: the same with a second system checkout instead of the CoinGate one). ` +
      `Without the plugin: bench/without-plugin/medusa-config.ts (no CoinGate module, provider, routes, subscriber or job).`
  )
  out.push("")
  const w = summary(b.with.map((x) => x.bootMs))
  const wo = summary(b.without.map((x) => x.bootMs))
  const rw = summary(b.with.map((x) => x.rss))
  const rwo = summary(b.without.map((x) => x.rss))
  out.push(`| | with the plugin | without | difference | runs |`)
  out.push(`|---|---:|---:|---:|---:|`)
  out.push(`| boot time, median (s) | ${sec(w.p50)} | ${sec(wo.p50)} | ${sec(w.p50 - wo.p50)} | ${w.n} + ${wo.n} |`)
  out.push(`| boot time, min–max (s) | ${sec(w.min)}–${sec(w.max)} | ${sec(wo.min)}–${sec(wo.max)} | | |`)
  out.push(`| RSS after boot, median (MiB) | ${mib(rw.p50)} | ${mib(rwo.p50)} | ${mib(rw.p50 - rwo.p50)} | ${rw.n} + ${rwo.n} |`)
  const fw = r.footprintWith || {}
  const fo = r.footprintWithout || {}
  out.push(
    `| RSS after ${fo.checkoutPairs || "the"} checkout pairs (MiB) | ${mib(fw.rssAfterCheckouts)} | ${mib(fo.rssAfterCheckouts)} | ${mib(fw.rssAfterCheckouts - fo.rssAfterCheckouts)} | 1 + 1 |`
  )
  if (Number.isFinite(fw.rssAfterAllCheckouts)) {
    out.push(`| RSS after all ${r.checkout ? r.checkout.coingate.length + r.checkout.system.length + 2 * r.checkout.warmup : ""} checkouts of section 1 (MiB) | ${mib(fw.rssAfterAllCheckouts)} | | | 1 |`)
  }
  out.push("")
  return out
}

function renderReport(r) {
  const m = r.machine || {}
  const out = []
  out.push(`# Benchmark results`)
  out.push("")
  out.push(
    `\`${r.command || "npm run bench"}\`, ` +
      `${r.startedAt.slice(0, 16).replace("T", " ")} UTC, ${(r.totalMs / 1000 / 60).toFixed(1)} minutes. ` +
      `CoinGate simulator on loopback, ${r.coingateDelayMs ? `**${r.coingateDelayMs} ms added to every CoinGate API call**` : "no added delay"}. ` +
      `See docs/benchmarks.md for what each figure means.`
  )
  out.push("")
  out.push(
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}. ` +
      `Load average at the start ${(m.loadAverage || []).join(" / ")} (1/5/15 min), at the end ${(r.loadAverageAtEnd || []).join(" / ")}` +
      `${m.loadAverage && m.loadAverage[0] > m.cores ? ": **the machine was busy with other work**, absolute times are inflated" : ""}.`
  )
  out.push("")
  if (r.checkout) out.push(...checkoutSection(r))
  if (r.callbacks) out.push(...callbackSection(r))
  if (r.reconcile) out.push(...reconcileSection(r))
  if (r.boots) out.push(...footprintSection(r))
  if (r.console) out.push(...consoleSection(r.console))
  return out.join("\n")
}

module.exports = { renderReport }

// `node bench/report.js bench/.runs/<time>.json [out.md]`: renders a saved run again.
if (require.main === module) {
  const fs = require("fs")
  const [input, output] = process.argv.slice(2)
  if (!input) {
    console.error("usage: node bench/report.js <bench/.runs/<time>.json> [out.md]")
    process.exit(2)
  }
  const md = renderReport(JSON.parse(fs.readFileSync(input, "utf8")))
  if (output) fs.writeFileSync(output, md)
  else process.stdout.write(md)
}

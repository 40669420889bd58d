"use strict"
/** Reads what bench/lib/profile-hook.js recorded and sums it up per provider and checkout step. */
const fs = require("fs")
const { median } = require("./stats")

function readProfile(file) {
  if (!fs.existsSync(file)) return []
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      try {
        return JSON.parse(l)
      } catch {
        return null
      }
    })
    .filter(Boolean)
}

/**
 * { byStep: { [step]: { [provider]: { n, ms, queries, queryMs, outgoing, outgoingMs } } },
 *   sqlDiff: { [step]: [{ key, coingate, system }] } } (medians per request).
 */
function summarizeProfile(lines) {
  const groups = new Map()
  for (const l of lines) {
    const [, provider, step] = l.tag.split("|")
    const k = `${step}|${provider}`
    if (!groups.has(k)) groups.set(k, [])
    groups.get(k).push(l)
  }
  const byStep = {}
  const sqlDiff = {}
  for (const [k, ls] of groups) {
    const [step, provider] = k.split("|")
    byStep[step] = byStep[step] || {}
    byStep[step][provider] = {
      n: ls.length,
      ms: median(ls.map((l) => l.ms)),
      queries: median(ls.map((l) => l.queries)),
      queryMs: median(ls.map((l) => l.queryMs)),
      outgoing: median(ls.map((l) => l.outgoing)),
      outgoingMs: median(ls.map((l) => l.outgoingMs)),
    }
  }
  for (const step of Object.keys(byStep)) {
    const per = (provider) => {
      const ls = groups.get(`${step}|${provider}`) || []
      const keys = new Map()
      for (const l of ls) for (const [key, v] of Object.entries(l.sql || {})) keys.set(key, (keys.get(key) || 0) + v.n)
      return { count: ls.length, keys }
    }
    const a = per("pp_coingate_coingate")
    const b = per("pp_system_default")
    const all = new Set([...a.keys.keys(), ...b.keys.keys()])
    const rows = []
    for (const key of all) {
      const ca = a.count ? (a.keys.get(key) || 0) / a.count : 0
      const cb = b.count ? (b.keys.get(key) || 0) / b.count : 0
      if (Math.abs(ca - cb) >= 0.5) rows.push({ key, coingate: ca, system: cb })
    }
    sqlDiff[step] = rows.sort((x, y) => Math.abs(y.coingate - y.system) - Math.abs(x.coingate - x.system))
  }
  return { byStep, sqlDiff }
}

/** Statements of a set of requests, by count per request (mean), most frequent first. */
function topStatements(lines, limit = 15) {
  const keys = new Map()
  for (const l of lines) {
    for (const [key, v] of Object.entries(l.sql || {})) {
      const k = keys.get(key) || { n: 0, ms: 0 }
      k.n += v.n
      k.ms += v.ms
      keys.set(key, k)
    }
  }
  return [...keys.entries()]
    .map(([key, v]) => ({ key, perRequest: v.n / lines.length, msPerRequest: v.ms / lines.length }))
    .sort((a, b) => b.perRequest - a.perRequest)
    .slice(0, limit)
}

module.exports = { readProfile, summarizeProfile, topStatements }

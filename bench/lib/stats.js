"use strict"
/** Small statistics helpers for the benchmark (pure). */

/** Percentile by linear interpolation between closest ranks (R type 7, numpy's default). */
function percentile(values, p) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (!xs.length) return NaN
  if (xs.length === 1) return xs[0]
  const rank = (p / 100) * (xs.length - 1)
  const lo = Math.floor(rank)
  const hi = Math.ceil(rank)
  return xs[lo] + (xs[hi] - xs[lo]) * (rank - lo)
}

const median = (values) => percentile(values, 50)

function mean(values) {
  const xs = values.filter((v) => Number.isFinite(v))
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN
}

/** { n, p50, p95, p99, min, max, mean } of a list of numbers. */
function summary(values) {
  const xs = values.filter((v) => Number.isFinite(v))
  return {
    n: xs.length,
    p50: percentile(xs, 50),
    p95: percentile(xs, 95),
    p99: percentile(xs, 99),
    min: xs.length ? Math.min(...xs) : NaN,
    max: xs.length ? Math.max(...xs) : NaN,
    mean: mean(xs),
  }
}

/**
 * A bootstrap 90 % interval of the ratio of medians a/b (paired resampling when the
 * lists have the same length, i.e. interleaved pairs). Deterministic (seeded).
 */
function ratioInterval(a, b, { iterations = 2000, seed = 12345 } = {}) {
  let s = seed >>> 0
  const rand = () => {
    // xorshift32
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4294967296
  }
  const paired = a.length === b.length
  const ratios = []
  for (let i = 0; i < iterations; i++) {
    const ra = []
    const rb = []
    for (let j = 0; j < a.length; j++) {
      const k = Math.floor(rand() * a.length)
      ra.push(a[k])
      if (paired) rb.push(b[k])
    }
    if (!paired) for (let j = 0; j < b.length; j++) rb.push(b[Math.floor(rand() * b.length)])
    ratios.push(median(ra) / median(rb))
  }
  return { lo: percentile(ratios, 5), hi: percentile(ratios, 95) }
}

module.exports = { percentile, median, mean, summary, ratioInterval }

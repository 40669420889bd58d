// @ts-check
"use strict"

/** Request-parameter helpers shared by the simulator's routes. */

/** @param {unknown} v */
const present = (v) => v !== undefined && v !== null && !(typeof v === "string" && v.trim() === "")

/** @param {string} value */
function isHttpUrl(value) {
  try {
    const u = new URL(value)
    return u.protocol === "http:" || u.protocol === "https:"
  } catch {
    return false
  }
}

/** @param {URLSearchParams} q */
function pageParams(q) {
  const int = (/** @type {string} */ name, /** @type {number} */ dflt) => {
    const n = Number(q.get(name))
    return Number.isInteger(n) && n > 0 ? n : dflt
  }
  return { page: int("page", 1), perPage: Math.min(int("per_page", 100), 100) }
}

/**
 * @template T
 * @param {T[]} items @param {URLSearchParams} q @param {string} key @param {string} totalKey
 */
function paginate(items, q, key, totalKey) {
  const { page, perPage } = pageParams(q)
  return {
    current_page: page,
    per_page: perPage,
    [totalKey]: items.length,
    total_pages: Math.ceil(items.length / perPage),
    [key]: items.slice((page - 1) * perPage, page * perPage),
  }
}

module.exports = { present, isHttpUrl, pageParams, paginate }

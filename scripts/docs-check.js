"use strict"
/**
 * Checks on the README and docs/ that a reader relies on (scripts/__tests__/docs.unit.spec.js runs them):
 * the config snippet is on the README's first screen, no paragraph is a wall of text, and no relative link
 * points at a file that is not there. Pure functions over the text, so the test can feed them bad input too.
 */
const fs = require("fs")
const path = require("path")

/** The lines outside fenced code blocks, with their 1-based line numbers. */
function proseLines(text) {
  const out = []
  let fence = null
  text.split("\n").forEach((line, i) => {
    const marker = line.match(/^\s*(```|~~~)/)
    if (marker) {
      if (fence === null) fence = marker[1]
      else if (marker[1] === fence) fence = null
      return
    }
    if (fence === null) out.push({ line: i + 1, text: line })
  })
  return out
}

/**
 * Paragraphs of prose: runs of non-blank lines outside code, headings, tables and HTML; each list item is a
 * paragraph of its own (with its continuation lines). Returns { line, words } with the paragraph's first line.
 */
function paragraphs(text) {
  const result = []
  let current = null
  const close = () => {
    if (current) result.push(current)
    current = null
  }
  for (const { line, text: raw } of proseLines(text)) {
    const t = raw.trim()
    if (t === "" || t.startsWith("#") || t.startsWith("|") || t.startsWith("<")) {
      close()
      continue
    }
    if (/^([-*+]|\d+\.)\s/.test(t)) close()
    if (!current) current = { line, words: 0 }
    current.words += t.replace(/^([-*+]|\d+\.|>)\s+/, "").split(/\s+/).filter(Boolean).length
  }
  close()
  return result
}

/** Paragraphs over `limit` words: [{ line, words }]. */
function longParagraphs(text, limit = 80) {
  return paragraphs(text).filter((p) => p.words > limit)
}

/**
 * The fenced code block that configures the provider (it resolves `medusa-payment-coingate/providers/coingate`):
 * { start, end } as 1-based lines of its opening and closing fences, or null when there is none.
 */
function configSnippet(text) {
  const lines = text.split("\n")
  let open = null
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```/.test(lines[i])) continue
    if (open === null) {
      open = i
      continue
    }
    const body = lines.slice(open + 1, i).join("\n")
    if (body.includes('"medusa-payment-coingate/providers/coingate"') && body.includes("apiToken")) {
      return { start: open + 1, end: i + 1 }
    }
    open = null
  }
  return null
}

/** Relative link targets in markdown prose (links and images), without their #fragment: [{ line, target }]. */
function relativeLinks(text) {
  const links = []
  for (const { line, text: raw } of proseLines(text)) {
    const withoutCode = raw.replace(/`[^`]*`/g, "")
    for (const m of withoutCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      const target = m[1]
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#") || target.startsWith("//")) continue
      const file = decodeURIComponent(target.split("#")[0].split("?")[0])
      if (file) links.push({ line, target: file })
    }
  }
  return links
}

/** Relative links of the markdown file at `file` whose target does not exist: ["docs/x.md:12 -> y.md"]. */
function brokenLinks(file, root) {
  const text = fs.readFileSync(file, "utf8")
  const dir = path.dirname(file)
  return relativeLinks(text)
    .filter(({ target }) => !fs.existsSync(target.startsWith("/") ? path.join(root, target) : path.join(dir, target)))
    .map(({ line, target }) => `${path.relative(root, file)}:${line} -> ${target}`)
}


/** The version of the CHANGELOG's newest entry (its first `## x.y.z` heading), or null. */
function changelogVersion(text) {
  const m = text.match(/^## (\d+\.\d+\.\d+(?:-[\w.]+)?)\b/m)
  return m ? m[1] : null
}

/** The versions in the tarball names `medusa-payment-coingate-<x.y.z>.tgz` a text mentions, in order. */
function tarballVersions(text) {
  return [...text.matchAll(/medusa-payment-coingate-(\d+\.\d+\.\d+(?:-[\w.]+)?)\.tgz/g)].map((m) => m[1])
}

/**
 * Where a version differs from package.json's: `sources` maps a place to its version, a list of them, or null
 * (found none). Returns one line per disagreeing place.
 */
function versionDisagreements(sources) {
  const expected = sources["package.json"]
  const problems = []
  for (const [place, value] of Object.entries(sources)) {
    if (place === "package.json") continue
    if (value === null || value === undefined) {
      problems.push(`${place} names no version`)
      continue
    }
    const wrong = (Array.isArray(value) ? value : [value]).filter((v) => v !== expected)
    if (wrong.length) problems.push(`${place} says ${wrong[0]}, package.json ${expected}`)
  }
  return problems
}

module.exports = {
  proseLines,
  paragraphs,
  longParagraphs,
  configSnippet,
  relativeLinks,
  brokenLinks,
  changelogVersion,
  tarballVersions,
  versionDisagreements,
}

// The README's first screen and the docs' links (scripts/docs-check.js): each check is shown failing on bad
// input first, then run on the repository's own files.
const fs = require("fs")
const path = require("path")
const { paragraphs, longParagraphs, configSnippet, relativeLinks, brokenLinks } = require("../docs-check")

const ROOT = path.resolve(__dirname, "../..")
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8")
const FIRST_SCREEN_LINES = 60
const MAX_PARAGRAPH_WORDS = 80

const snippet = (before) =>
  [...Array(before).fill("text"), "```ts", 'resolve: "medusa-payment-coingate/providers/coingate",', "options: { apiToken }", "```"].join("\n")

/** README.md, simulator/README.md and every markdown file under docs/. */
function markdownFiles() {
  const found = [path.join(ROOT, "README.md"), path.join(ROOT, "simulator/README.md")]
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      // The template's links are relative to docs/, where render-guide.py writes it (docs/storefront.md is checked).
      else if (entry.name.endsWith(".md") && entry.name !== "storefront.template.md") found.push(full)
    }
  }
  walk(path.join(ROOT, "docs"))
  return found
}

describe("the checks", () => {
  it("find the provider's config snippet and where it ends", () => {
    expect(configSnippet(snippet(3))).toEqual({ start: 4, end: 7 })
    expect(configSnippet(snippet(70)).end).toBeGreaterThan(FIRST_SCREEN_LINES)
    expect(configSnippet("```ts\nconst x = 1\n```\n")).toBeNull()
  })

  it("count a paragraph's words, each list item on its own, leaving out code, headings and tables", () => {
    const text = ["# A title of words", "one two", "three", "", "- four five", "  six", "- seven", "", "```", "a b c d", "```", "| x | y |"].join("\n")
    expect(paragraphs(text)).toEqual([
      { line: 2, words: 3 },
      { line: 5, words: 3 },
      { line: 7, words: 1 },
    ])
    expect(longParagraphs(Array(81).fill("word").join(" "))).toEqual([{ line: 1, words: 81 }])
    expect(longParagraphs(Array(80).fill("word").join(" "))).toEqual([])
  })

  it("take relative links and images, not URLs, anchors or code", () => {
    const text = "[a](docs/a.md#x) ![b](img/b.png) [c](https://x.example) [d](#top) `[e](e.md)`\n```\n[f](f.md)\n```"
    expect(relativeLinks(text)).toEqual([
      { line: 1, target: "docs/a.md" },
      { line: 1, target: "img/b.png" },
    ])
  })

  it("name a link whose file is missing", () => {
    const dir = fs.mkdtempSync(path.join(require("os").tmpdir(), "docs-check-"))
    fs.writeFileSync(path.join(dir, "there.md"), "")
    fs.writeFileSync(path.join(dir, "page.md"), "[ok](there.md)\n\n[gone](missing.md#part)\n")
    expect(brokenLinks(path.join(dir, "page.md"), dir)).toEqual(["page.md:3 -> missing.md"])
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

describe("README.md", () => {
  it(`shows the config snippet within its first ${FIRST_SCREEN_LINES} lines`, () => {
    const found = configSnippet(README)
    expect(found).not.toBeNull()
    expect(found.end).toBeLessThanOrEqual(FIRST_SCREEN_LINES)
  })

  it(`has no paragraph over ${MAX_PARAGRAPH_WORDS} words`, () => {
    expect(longParagraphs(README, MAX_PARAGRAPH_WORDS)).toEqual([])
  })
})

describe("relative links in the README and docs/", () => {
  it("point at files that exist", () => {
    const files = markdownFiles()
    expect(files.length).toBeGreaterThan(5)
    expect(files.flatMap((file) => brokenLinks(file, ROOT))).toEqual([])
  })
})

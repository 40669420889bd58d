import { parseCallbackLogQuery } from "../callback-log/query"
import { parseConsoleQuery } from "../console/filters"

/**
 * The console (list, totals, export) and the callback log follow one set of rules for dates, ranges,
 * limit and offset (src/shared/query-params.ts, docs/admin.md). Before, the callback log took loose dates,
 * an empty range and any offset, and the console list took any lone start: each case below was accepted
 * by one of them.
 */
const NOW = new Date("2026-06-01T00:00:00Z")
type Parse = (q: Record<string, unknown>) => unknown
const parsers: [string, Parse, string, string][] = [
  ["console list", (q) => parseConsoleQuery(q, "list", NOW), "created_from", "created_to"],
  ["console export", (q) => parseConsoleQuery(q, "export", NOW), "created_from", "created_to"],
  ["console totals", (q) => parseConsoleQuery(q, "totals", NOW), "created_from", "created_to"],
  ["callback log", (q) => parseCallbackLogQuery(q, NOW), "received_from", "received_to"],
]
const message = (parse: Parse, q: Record<string, unknown>): string => {
  try {
    parse(q)
  } catch (e: any) {
    expect(e.type).toBe("invalid_data")
    return e.message
  }
  throw new Error(`accepted ${JSON.stringify(q)}`)
}

describe.each(parsers)("%s: the shared query rules", (_name, parse, from, to) => {
  it.each([
    ["2026-01-31 12:00"],
    ["2026-01-31T12:00:00"], // no offset: ambiguous
    ["2026-01-31T12:00:00.123456Z"],
    ["2026-01-31T12:00+0200"],
    ["2026-02-30"],
    ["yesterday"],
  ])("refuses the date %s", (value) => {
    expect(message(parse, { [from]: value })).toContain(`\`${from}\` must be an ISO date`)
    expect(message(parse, { [to]: value })).toContain(`\`${to}\``)
  })

  it("takes ISO dates and date-times with an offset; a date-only end includes its day", () => {
    const q = parse({ [from]: "2026-01-01T12:30:00+02:00", [to]: "2026-01-31" }) as any
    const got = q.filters ?? q
    expect(got[from]).toEqual(new Date("2026-01-01T10:30:00Z"))
    expect(got[to]).toEqual(new Date("2026-02-01T00:00:00Z"))
  })

  it("wants the start before the end: equal is refused", () => {
    expect(message(parse, { [from]: "2026-01-01T00:00:00Z", [to]: "2026-01-01T00:00:00Z" })).toMatch(/must be before .* must not be after/)
    expect(message(parse, { [from]: "2026-02-01", [to]: "2026-01-01" })).toContain("before")
  })

  it("caps a range at 366 days, a lone start counted to now", () => {
    expect(message(parse, { [from]: "2025-01-01", [to]: "2026-01-03" })).toContain("366 days")
    expect(message(parse, { [from]: "2025-01-01" })).toContain("366 days")
    expect(() => parse({ [from]: "2025-01-01T00:00:00Z", [to]: "2026-01-02T00:00:00Z" })).not.toThrow()
  })

  it("names unknown and repeated parameters", () => {
    expect(message(parse, { colour: "red" })).toContain("Unknown query parameter `colour`")
    expect(message(parse, { [from]: ["2026-01-01", "2026-01-02"] })).toContain(`\`${from}\` must be given once`)
  })
})

describe.each(parsers.filter(([name]) => name === "console list" || name === "callback log"))("%s: limit and offset", (_name, parse) => {
  it("limit 1..100 (default 20), offset 0..1,000,000", () => {
    expect(parse({})).toMatchObject({ limit: 20, offset: 0 })
    expect(parse({ limit: "100", offset: "1000000" })).toMatchObject({ limit: 100, offset: 1_000_000 })
    expect(message(parse, { offset: "1000001" })).toContain("`offset` must be a whole number from 0 to 1000000")
    expect(message(parse, { limit: "101" })).toContain("`limit` must be a whole number from 1 to 100")
    expect(message(parse, { limit: "0" })).toContain("`limit`")
  })
})

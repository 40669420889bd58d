import { parseConsoleQuery } from "../filters"
import { csvCell, csvLine, totalsView } from "../views"

const NOW = new Date("2026-12-03T10:00:00Z")
const bad = (query: Record<string, unknown>, kind: "list" | "totals" | "export" = "list") => {
  try {
    parseConsoleQuery(query, kind, NOW)
  } catch (e: any) {
    return { type: e.type, message: e.message as string }
  }
  throw new Error(`accepted ${JSON.stringify(query)}`)
}

describe("the console's query parameters", () => {
  it("defaults: page of 20 from 0, no filter; totals over the last 30 days", () => {
    expect(parseConsoleQuery({}, "list", NOW)).toEqual({ filters: {}, limit: 20, offset: 0 })
    const totals = parseConsoleQuery({}, "totals", NOW)
    expect(totals.filters.created_to).toEqual(NOW)
    expect(totals.filters.created_from).toEqual(new Date("2026-11-03T10:00:00Z"))
  })

  it("parses every filter", () => {
    const { filters, limit, offset } = parseConsoleQuery(
      {
        attention: "true",
        status: "paid, Expired,paid",
        medusa_state: "orphaned",
        created_from: "2026-01-01",
        created_to: "2026-01-31",
        price_currency: "eur",
        pay_currency: "btc",
        q: "  Shopper@Example.com ",
        limit: "100",
        offset: "40",
      },
      "list",
      NOW
    )
    expect(filters).toEqual({
      attention: true,
      status: ["paid", "expired"],
      medusa_state: ["orphaned"],
      created_from: new Date("2026-01-01T00:00:00Z"),
      created_to: new Date("2026-02-01T00:00:00Z"), // a date-only end includes its day
      price_currency: "EUR",
      pay_currency: "BTC",
      q: "Shopper@Example.com",
    })
    expect([limit, offset]).toEqual([100, 40])
    expect(parseConsoleQuery({ attention: "false", created_from: "2026-01-01T12:30:00+02:00" }, "export", NOW).filters).toEqual({
      attention: false,
      created_from: new Date("2026-01-01T10:30:00Z"),
    })
  })

  it("refuses unknown parameters, naming them, and limit/offset outside the list", () => {
    expect(bad({ foo: "1", status: "paid" })).toEqual({ type: "invalid_data", message: expect.stringContaining("foo") })
    expect(bad({ limit: "10" }, "totals").message).toContain("limit")
    expect(bad({ offset: "10" }, "export").message).toContain("offset")
  })

  it("refuses malformed values", () => {
    for (const query of [
      { limit: "500" },
      { limit: "0" },
      { limit: "1.5" },
      { limit: "abc" },
      { offset: "-1" },
      { attention: "yes" },
      { status: "paid,bogus" },
      { medusa_state: "captured,shipped" },
      { created_from: "yesterday" },
      { created_from: "2026-02-30" },
      { created_to: "2026-01-01T10:00:00" }, // no offset: ambiguous
      { price_currency: "E U R" },
      { pay_currency: "'; drop table--" },
      { status: ["paid", "expired"] },
      { q: { $ne: "" } },
      { q: "x".repeat(201) },
    ]) {
      expect(bad(query).type).toBe("invalid_data")
    }
  })

  it("limits a range to 366 days and wants it in order", () => {
    expect(parseConsoleQuery({ created_from: "2025-01-01", created_to: "2026-01-01" }, "list").filters.created_from).toBeTruthy()
    expect(bad({ created_from: "2025-01-01", created_to: "2026-01-03" }).message).toContain("366 days")
    expect(bad({ created_from: "2026-02-01", created_to: "2026-01-01" }).message).toContain("before")
    // The totals' default end (now) completes a lone start.
    expect(bad({ created_from: "2025-01-01" }, "totals").message).toContain("366 days")
  })
})

describe("CSV cells", () => {
  it("quotes commas, quotes and line breaks, and neutralises formulas", () => {
    expect(csvCell(null)).toBe("")
    expect(csvCell(12)).toBe("12")
    expect(csvCell("a,b")).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell("two\nlines")).toBe('"two\nlines"')
    expect(csvCell("=HYPERLINK(\"http://x\")")).toBe('"\'=HYPERLINK(""http://x"")"')
    for (const s of ["+1", "-1", "@SUM(A1)", "\tx"]) expect(csvCell(s)).toBe(`'${s}`)
    expect(csvLine(["a", null, "b"])).toBe("a,,b\r\n")
  })
})

describe("totals view", () => {
  it("splits the grouping sets into per status (with amounts per currency), per currency and overall, in each currency's digits", () => {
    const g = (status: string | null, currency: string | null, count: number, amount: string | null) => ({
      status,
      currency,
      count,
      amount,
      byStatus: status !== null,
      byCurrency: currency !== null,
    })
    const view = totalsView({ from: new Date("2026-11-03T00:00:00Z"), to: NOW }, [
      g("paid", "EUR", 2, "0.3"),
      g("paid", "BTC", 1, "0.00000003"),
      g("paid", null, 3, "0.30000003"),
      g("expired", "EUR", 1, "5"),
      g("expired", null, 1, "5"),
      g(null, "EUR", 3, "5.3"),
      g(null, "BTC", 1, "0.00000003"),
      g(null, null, 4, "5.30000003"),
    ])
    expect(view).toEqual({
      from: "2026-11-03T00:00:00.000Z",
      to: "2026-12-03T10:00:00.000Z",
      count: 4,
      by_status: [
        { status: "paid", count: 3, amounts: [{ currency: "BTC", amount: "0.00000003" }, { currency: "EUR", amount: "0.30" }] },
        { status: "expired", count: 1, amounts: [{ currency: "EUR", amount: "5.00" }] },
      ],
      by_currency: [
        { currency: "BTC", count: 1, amount: "0.00000003" },
        { currency: "EUR", count: 3, amount: "5.30" },
      ],
    })
  })
})

import { queryString, toPaymentFilters } from "../console-query"
import { exportPath } from "../console-api"

describe("the CoinGate page's query strings", () => {
  it("leaves out unset and empty values (the routes refuse empty parameters) and joins lists with commas", () => {
    expect(queryString({})).toBe("")
    expect(queryString({ a: undefined, b: null, c: "", d: [] })).toBe("")
    expect(queryString({ status: ["paid", "expired"], limit: 20, offset: 0 })).toBe("?status=paid%2Cexpired&limit=20&offset=0")
    expect(queryString({ q: "a&b=c #1" })).toBe("?q=a%26b%3Dc+%231")
  })

  it("maps the table's filters and search to the list route's parameters", () => {
    expect(toPaymentFilters({}, "")).toEqual({})
    const f = toPaymentFilters(
      {
        attention: "true",
        status: ["paid", "refunded"],
        medusa_state: ["orphaned"],
        created_at: { $gte: "2026-11-01T00:00:00.000Z", $lte: "2026-11-30T00:00:00.000Z" },
        price_currency: " eur ",
        pay_currency: "btc",
      },
      "  Shopper@Example.com "
    )
    expect(f).toEqual({
      attention: "true",
      status: ["paid", "refunded"],
      medusa_state: ["orphaned"],
      created_from: "2026-11-01T00:00:00.000Z",
      // The last day picked is included: up to its last millisecond.
      created_to: "2026-11-30T23:59:59.999Z",
      price_currency: "EUR",
      pay_currency: "BTC",
      q: "Shopper@Example.com",
    })
  })

  it("drops values the routes would refuse: another attention value, empty lists, a bad date, blank text", () => {
    const f = toPaymentFilters({ attention: "maybe", status: [], created_at: { $lte: "not a date" }, price_currency: "  " }, "   ")
    expect(queryString(f)).toBe("")
    expect(toPaymentFilters({ attention: "false" }, "").attention).toBe("false")
  })

  it("points the export at the same filters", () => {
    expect(exportPath(toPaymentFilters({ attention: "true", status: ["paid"] }, "42"))).toBe(
      "/admin/coingate/payments/export?attention=true&status=paid&q=42"
    )
    expect(exportPath({})).toBe("/admin/coingate/payments/export")
  })
})

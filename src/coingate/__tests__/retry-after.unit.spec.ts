import { MAX_RETRY_AFTER_MS, parseRetryAfter } from "../retry-after"

const NOW = Date.parse("2026-12-02T18:00:00Z")

describe("parseRetryAfter", () => {
  it.each([
    ["0", 0],
    ["1", 1000],
    ["120", 120_000],
    [" 5 ", 5000],
    ["1.5", 1500],
    [30, 30_000],
    [["7", "9"], 7000],
  ])("reads delay-seconds %p as %p ms", (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms)
  })

  it("reads an HTTP date as the time from now", () => {
    expect(parseRetryAfter("Wed, 02 Dec 2026 18:00:30 GMT", NOW)).toBe(30_000)
  })

  it("a date in the past means now", () => {
    expect(parseRetryAfter("Wed, 02 Dec 2026 17:00:00 GMT", NOW)).toBe(0)
  })

  it("bounds what it asks for", () => {
    expect(parseRetryAfter("86400", NOW)).toBe(MAX_RETRY_AFTER_MS)
    expect(parseRetryAfter("Thu, 01 Jan 2099 00:00:00 GMT", NOW)).toBe(MAX_RETRY_AFTER_MS)
  })

  it.each([undefined, null, "", "soon", "-5", "1e3", "2026-12-02", {}, [], true])("ignores %p", (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined()
  })
})

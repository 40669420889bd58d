import { MedusaError } from "@medusajs/framework/utils"
import { parseCallbackLogQuery } from "../query"

const now = new Date("2026-06-01T00:00:00Z")
const fails = (raw: Record<string, unknown>, message: RegExp) => {
  let error: any
  try {
    parseCallbackLogQuery(raw, now)
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(MedusaError)
  expect(error.type).toBe(MedusaError.Types.INVALID_DATA)
  expect(error.message).toMatch(message)
}

describe("GET /admin/coingate/callbacks query", () => {
  it("defaults to the newest 20", () => {
    expect(parseCallbackLogQuery({}, now)).toEqual({ limit: 20, offset: 0 })
  })

  it("reads every filter", () => {
    expect(
      parseCallbackLogQuery(
        { coingate_order_id: "123", outcome: "forged, unknown,forged", kind: "refund", received_from: "2026-01-01", received_to: "2026-01-31T12:00:00Z", limit: "100", offset: "40" },
        now
      )
    ).toEqual({
      coingate_order_id: "123",
      outcome: ["forged", "unknown"],
      kind: "refund",
      received_from: new Date("2026-01-01"),
      received_to: new Date("2026-01-31T12:00:00Z"),
      limit: 100,
      offset: 40,
    })
  })

  it.each([
    [{ token: "x" }, /Unknown query parameter `token`/],
    [{ fields: "*", q: "1" }, /Unknown query parameters `fields`, `q`/],
    [{ limit: "0" }, /`limit` must be a whole number from 1 to 100/],
    [{ limit: "101" }, /`limit`/],
    [{ limit: "5.5" }, /`limit`/],
    [{ offset: "-1" }, /`offset`/],
    [{ outcome: "forged,bogus" }, /`outcome` is a comma list of accepted, forged/],
    [{ outcome: ["forged", "unknown"] }, /`outcome` must be given once/],
    [{ kind: "payout" }, /`kind` must be one of order, refund, send_request/],
    [{ coingate_order_id: "abc" }, /`coingate_order_id`/],
    [{ received_from: "yesterday" }, /`received_from` must be an ISO date/],
    [{ received_to: "2026-02-30x" }, /`received_to`/],
    [{ received_from: "2026-02-01", received_to: "2026-01-01" }, /must not be after/],
    [{ received_from: "2024-01-01", received_to: "2025-06-01" }, /at most 366 days/],
    [{ received_from: "2025-01-01" }, /at most 366 days/],
  ])("400 for %j", (raw, message) => fails(raw, message))

  it("allows exactly 366 days", () => {
    expect(parseCallbackLogQuery({ received_from: "2025-01-01T00:00:00Z", received_to: "2026-01-02T00:00:00Z" }, now).limit).toBe(20)
  })
})

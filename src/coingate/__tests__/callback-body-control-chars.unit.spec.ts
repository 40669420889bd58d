import { parseCallbackBody } from "../callback-body"

// Found by the bad-input suite: an order_id with a NUL byte reached PostgreSQL, which
// refused the query, and the callback route answered 503 (an endless retry for CoinGate).
const form = { id: "4242", order_id: "payses_01ABC", token: "tok" }

describe("callback body parsing: control characters", () => {
  it.each([
    ["a NUL byte in order_id", { ...form, order_id: "payses_01ABC\u0000" }, /`order_id`/],
    ["a newline in order_id", { ...form, order_id: "payses_01ABC\n" }, /`order_id`/],
    ["DEL in order_id", { ...form, order_id: "payses\u007f" }, /`order_id`/],
    ["a NUL byte in token", { ...form, token: "tok\u0000" }, /`token`/],
    ["a bell in token", { ...form, token: "\u0007tok" }, /`token`/],
  ])("rejects %s", (_what, body, reason) => {
    const parsed = parseCallbackBody(body)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.reason).toMatch(reason)
  })

  it("still accepts ordinary ids and tokens (unicode included)", () => {
    expect(parseCallbackBody({ ...form, order_id: "payses_01ABC-é" }).ok).toBe(true)
    expect(parseCallbackBody({ ...form, token: "abc_DEF-123" }).ok).toBe(true)
  })
})

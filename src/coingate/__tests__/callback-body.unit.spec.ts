import { parseCallbackBody } from "../callback-body"

const form = { id: "4242", order_id: "payses_01ABC", status: "paid", price_amount: "10.50", price_currency: "EUR", token: "tok" }

describe("callback body parsing", () => {
  it("reads a form-encoded callback (every value a string)", () => {
    expect(parseCallbackBody(form)).toEqual({ ok: true, value: { coingateOrderId: 4242, sessionId: "payses_01ABC", token: "tok" } })
  })

  it("reads a JSON callback (numbers as numbers)", () => {
    const json = { ...form, id: 4242, price_amount: "10.50", is_refundable: false, fees: [{ type: "processing_fee", amount: "0.1" }] }
    expect(parseCallbackBody(json)).toEqual({ ok: true, value: { coingateOrderId: 4242, sessionId: "payses_01ABC", token: "tok" } })
  })

  it("keeps only identifiers: the posted status and amounts are not part of the result", () => {
    const parsed = parseCallbackBody({ ...form, status: "paid", price_amount: "999" })
    expect(parsed.ok && Object.keys(parsed.value).sort()).toEqual(["coingateOrderId", "sessionId", "token"])
  })

  it.each([
    ["no body", undefined, /not an object/],
    ["a string body", "id=1&token=x", /not an object/],
    ["an array body", [form], /not an object/],
    ["missing id", { ...form, id: undefined }, /`id`/],
    ["non-numeric id", { ...form, id: "12a" }, /`id`/],
    ["negative id", { ...form, id: -5 }, /`id`/],
    ["fractional id", { ...form, id: 1.5 }, /`id`/],
    ["oversized id", { ...form, id: "1".repeat(16) }, /`id`/],
    ["id as an array (qs extended: id[]=1)", { ...form, id: ["1"] }, /`id`/],
    ["missing order_id", { ...form, order_id: undefined }, /`order_id`/],
    ["empty order_id", { ...form, order_id: "" }, /`order_id`/],
    ["order_id as a number", { ...form, order_id: 12 }, /`order_id`/],
    ["oversized order_id", { ...form, order_id: "x".repeat(101) }, /`order_id`/],
    ["missing token", { ...form, token: undefined }, /`token`/],
    ["empty token", { ...form, token: "" }, /`token`/],
    ["token as an object", { ...form, token: { a: 1 } }, /`token`/],
    ["oversized token", { ...form, token: "t".repeat(201) }, /`token`/],
  ])("rejects %s", (_what, body, reason) => {
    const parsed = parseCallbackBody(body)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.reason).toMatch(reason)
  })

  it("accepts the largest sizes it allows", () => {
    expect(parseCallbackBody({ ...form, id: "9".repeat(15), order_id: "x".repeat(100), token: "t".repeat(200) }).ok).toBe(true)
  })
})

import { MedusaError } from "@medusajs/framework/utils"
import { pickStorefrontData, returnUrlOrigins, storefrontUrl } from "../session-input"
import { resolveOptions } from "../../shared/options"
import { publicSessionData, sessionDataFor } from "../../payments/rules/session-data"

const base = { apiToken: "t", backendUrl: "https://api.shop.example" }
const options = (over: Record<string, unknown> = {}) => resolveOptions({ ...base, ...over })
const ids = { sessionId: "payses_1", cartId: "cart_1" }

describe("public session data", () => {
  const planted = {
    session_id: "payses_1",
    coingate_order_id: 7,
    success_url: "https://shop.example/x",
    coingate_refund_request: { method: "payout", amount: "5.00" },
    coingate_refunds: [{ amount: "900.00" }],
    foo: "bar",
  }

  it("publicSessionData keeps the contract's fields and nothing else", () => {
    expect(publicSessionData(planted)).toEqual({ session_id: "payses_1", coingate_order_id: 7, success_url: "https://shop.example/x" })
    expect(publicSessionData(undefined)).toEqual({})
  })

  it("sessionDataFor returns every other key undefined, so Medusa's merge stores it absent", () => {
    const out = sessionDataFor(planted, { ...publicSessionData(planted), coingate_status: "paid" })
    expect(Object.keys(out).sort()).toEqual([...Object.keys(planted), "coingate_status"].sort())
    expect(out).toMatchObject({ coingate_refund_request: undefined, coingate_refunds: undefined, foo: undefined, coingate_status: "paid" })
    expect(JSON.parse(JSON.stringify({ ...planted, ...out }))).toEqual({ ...publicSessionData(planted), coingate_status: "paid" })
    expect(sessionDataFor(planted)).toEqual(sessionDataFor(planted, publicSessionData(planted)))
  })

  it("sessionDataFor erases a public field `next` leaves out (a storefront's payment_url when CoinGate gave none)", () => {
    const sent = { payment_url: "https://evil.example/pay", session_id: "payses_1" }
    const out = sessionDataFor(sent, { session_id: "payses_1", payment_url: undefined, coingate_order_id: 7 })
    expect(JSON.parse(JSON.stringify({ ...sent, ...out }))).toEqual({ session_id: "payses_1", coingate_order_id: 7 })
  })
})

describe("return URL origins (closed redirects)", () => {
  it("are the configured successUrl/cancelUrl origins, either one allowing both", () => {
    expect(returnUrlOrigins(options({ successUrl: "https://shop.example/ok/{cart_id}" }), "http://localhost:8000")).toEqual({
      origins: ["https://shop.example"],
      from: "options",
    })
    expect(pickStorefrontData({ cancel_url: "https://shop.example/back" }, options({ successUrl: "https://shop.example/ok" }))).toEqual({
      cancel_url: "https://shop.example/back",
    })
  })

  it("else the store's storeCors origins (skipping regexes and *)", () => {
    expect(returnUrlOrigins(options(), "http://localhost:8000, https://www.shop.example/ ,/vercel\\.app$/,*")).toEqual({
      origins: ["http://localhost:8000", "https://www.shop.example"],
      from: "storeCors",
    })
    expect(pickStorefrontData({ success_url: "https://www.shop.example/done" }, options(), "https://www.shop.example")).toEqual({
      success_url: "https://www.shop.example/done",
    })
  })

  it.each([
    [{}, "https://shop.example", /storeCors origins \(https:\/\/shop\.example\).*successUrl/],
    [{}, undefined, /none is configured.*successUrl\/cancelUrl/],
    [{ cancelUrl: "https://shop.example/c" }, "https://evil.example", /on https:\/\/shop\.example.*configured/],
  ])("else refused, saying what to configure (%p, storeCors %p)", (over, cors, message) => {
    let error: any
    try {
      pickStorefrontData({ success_url: "https://evil.example/phish" }, options(over), cors)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MedusaError)
    expect(error.type).toBe(MedusaError.Types.INVALID_DATA)
    expect(error.message).toMatch(message)
  })

  it("the return URL ignores a stored session URL off the allowed origins", () => {
    const stored = { success_url: "https://evil.example/phish", cancel_url: "http://localhost:8000/back?c={cart_id}" }
    expect(storefrontUrl(options(), "success", stored, ids, "http://localhost:8000")).toBeNull()
    expect(storefrontUrl(options(), "cancel", stored, ids, "http://localhost:8000")).toBe("http://localhost:8000/back?c=cart_1")
    expect(storefrontUrl(options({ successUrl: "https://shop.example/ok/{cart_id}" }), "success", stored, ids)).toBe("https://shop.example/ok/cart_1")
    expect(storefrontUrl(options(), "success", stored, ids)).toBeNull()
  })
})

import { MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { callbackTokenFor, deriveCallbackKey } from "../../../coingate/callback-token"
import { returnTokenFor } from "../../../coingate/return-token"
import { withOrderText } from "../../../payments/rules/order-text"
import { CoinGateProviderService } from "../service"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../../../simulator")

const API_TOKEN = "cg_provider_unit_token_77"
const BACKEND = "https://api.shop.example"
const noopLogger = new Proxy({}, { get: () => () => undefined }) as any

let sim: any
function provider(options: Record<string, unknown> = {}) {
  return new CoinGateProviderService({ logger: noopLogger }, {
    apiToken: API_TOKEN,
    apiUrl: sim.url,
    backendUrl: BACKEND,
    successUrl: "https://shop.example/order/{cart_id}?s={session_id}",
    cancelUrl: "https://shop.example/cart",
    ...options,
  } as any)
}
const tokenFor = (sessionId: string) => callbackTokenFor(deriveCallbackKey({ apiToken: API_TOKEN }), sessionId)
const returnTokenOf = (sessionId: string) => returnTokenFor(deriveCallbackKey({ apiToken: API_TOKEN }), sessionId)

/** Runs initiatePayment the way Medusa does: storefront data plus the session id. */
async function initiate(p: CoinGateProviderService, sessionId = "payses_T1", amount: any = 10.5, currency = "eur", data: Record<string, unknown> = {}) {
  const out = await p.initiatePayment({ amount, currency_code: currency, data: { ...data, session_id: sessionId }, context: { idempotency_key: sessionId } as any })
  return { out, order: sim.getOrder(out.data!.coingate_order_id as number) }
}

/** A CoinGate client whose every call fails as if CoinGate were down. */
const unreachable = () =>
  ({
    createOrder: jest.fn().mockRejectedValue(Object.assign(new Error("connect ECONNREFUSED"), { transient: true })),
    getOrder: jest.fn().mockRejectedValue(Object.assign(new Error("connect ECONNREFUSED"), { transient: true })),
    listOrders: jest.fn().mockRejectedValue(new Error("connect ECONNREFUSED")),
    testAuth: jest.fn().mockRejectedValue(new Error("connect ECONNREFUSED")),
  }) as any

beforeAll(async () => {
  sim = await startSimulator({ apiTokens: [API_TOKEN] })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

describe("CoinGate provider", () => {
  it("is registered as `coingate`", () => {
    expect(CoinGateProviderService.identifier).toBe("coingate")
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const exported = require("../index").default
    expect(exported.module).toBe("payment")
    expect(exported.services).toEqual([CoinGateProviderService])
  })

  describe("initiatePayment creates a CoinGate order for the session", () => {
    it("sends the session id, the exact amount, the currency, the callback URL and the derived token", async () => {
      const { out, order } = await initiate(provider(), "payses_T1", 10.5, "eur")
      expect(order).toMatchObject({
        order_id: "payses_T1",
        price_amount: "10.5", // asked "10.50"; CoinGate answers BigDecimal-style
        price_currency: "EUR",
        callback_url: `${BACKEND}/hooks/coingate`,
        token: tokenFor("payses_T1"),
        success_url: `${BACKEND}/coingate/return/payses_T1?outcome=success&return_token=${returnTokenOf("payses_T1")}`,
        cancel_url: `${BACKEND}/coingate/return/payses_T1?outcome=cancel&return_token=${returnTokenOf("payses_T1")}`,
      })
      // The return token is its own HMAC: not the callback token, and not in the session's public data.
      expect(returnTokenOf("payses_T1")).not.toBe(tokenFor("payses_T1"))
      expect(JSON.stringify(out)).not.toContain(returnTokenOf("payses_T1"))
      expect(order.title.length).toBeGreaterThanOrEqual(3)
      expect(order.description.length).toBeGreaterThanOrEqual(3)
      expect(out.id).toBe(String(order.id))
      expect(out.status).toBe(PaymentSessionStatus.PENDING)
    })

    it("titles the invoice with the shop and the cart's items, never the session id", async () => {
      const { order } = await withOrderText({ title: "Acme: 2 × T-shirt, Mug", description: "Your order at Acme: 2 × T-shirt, 1 × Mug (3 items)" }, () =>
        initiate(provider(), "payses_T9")
      )
      expect(order.title).toBe("Acme: 2 × T-shirt, Mug")
      expect(order.description).toBe("Your order at Acme: 2 × T-shirt, 1 × Mug (3 items)")
      expect(order.order_id).toBe("payses_T9")
      // Without the middleware's text (a session made outside the store API): the configured shop name.
      const { order: bare } = await initiate(provider({ storeName: "Acme" }), "payses_T10")
      expect(bare.title).toBe("Your order at Acme")
      expect(`${bare.title} ${bare.description}`).not.toContain("payses_")
    })

    it.each([
      [1050, "jpy", "1050", "JPY", "1050.0"],
      [3.125, "kwd", "3.125", "KWD", "3.125"],
      [{ value: "19.9", precision: 20 }, "usd", "19.90", "USD", "19.9"],
      [0.1 + 0.2, "eur", "0.30", "EUR", "0.3"],
    ])("asks %p %s as price_amount %s %s (CoinGate answers %s)", async (amount, currency, priceAmount, priceCurrency, answered) => {
      const { out, order } = await initiate(provider(), "payses_T2", amount, currency)
      expect(order.price_amount).toBe(answered)
      expect(order.price_currency).toBe(priceCurrency)
      expect(out.data).toMatchObject({ price_amount: priceAmount, price_currency: priceCurrency })
    })

    it("gives the storefront exactly the contract's session data, and no secret", async () => {
      const { out, order } = await initiate(provider(), "payses_T3")
      expect(out.data).toEqual({
        session_id: "payses_T3",
        payment_url: order.payment_url,
        coingate_order_id: order.id,
        coingate_status: "new",
        price_amount: "10.50",
        price_currency: "EUR",
      })
      const text = JSON.stringify(out)
      expect(text).not.toContain(order.token)
      expect(text).not.toContain(API_TOKEN)
    })

    it("keeps the storefront's return URLs and email, and sends the email to CoinGate", async () => {
      const data = { success_url: "https://shop.example/thanks/{cart_id}", cancel_url: "https://shop.example/back", email: "buyer@example.com" }
      const { out, order } = await initiate(provider(), "payses_T4", 10.5, "eur", { ...data, token: "forged", unrelated: 1 })
      expect(out.data).toMatchObject(data)
      // Returned as undefined, so that Medusa's `{ ...storefront data, ...provider data }` stores them absent.
      const stored = JSON.parse(JSON.stringify({ ...data, token: "forged", unrelated: 1, ...out.data }))
      expect(stored).not.toHaveProperty("token")
      expect(stored).not.toHaveProperty("unrelated")
      expect(order.token).toBe(tokenFor("payses_T4"))
      expect(order.purchaser_email ?? order.shopper?.email).toBe("buyer@example.com")
    })

    it("refuses a storefront return URL outside the configured origin, and a bad email", async () => {
      await expect(initiate(provider(), "payses_T5", 10.5, "eur", { success_url: "https://evil.example/x" })).rejects.toThrow(/success_url.*https:\/\/shop\.example/)
      await expect(initiate(provider(), "payses_T5", 10.5, "eur", { cancel_url: "javascript:alert(1)" })).rejects.toThrow(MedusaError)
      await expect(initiate(provider(), "payses_T5", 10.5, "eur", { email: "not-an-email" })).rejects.toThrow(/email/)
      expect(sim.listOrders()).toHaveLength(0)
    })

    it("sends receive_currency only when configured", async () => {
      const p = provider()
      const create = jest.spyOn(p.gateway.client, "createOrder")
      await initiate(p, "payses_T6")
      expect(create.mock.calls[0][0]).not.toHaveProperty("receive_currency")

      const withReceive = provider({ receiveCurrency: "do_not_convert" })
      const create2 = jest.spyOn(withReceive.gateway.client, "createOrder")
      await initiate(withReceive, "payses_T7")
      expect(create2.mock.calls[0][0]).toMatchObject({ receive_currency: "DO_NOT_CONVERT" })
    })

    it("omits the return URLs when neither the options nor the storefront give one", async () => {
      const p = provider({ successUrl: undefined, cancelUrl: undefined })
      const create = jest.spyOn(p.gateway.client, "createOrder")
      await initiate(p, "payses_T8")
      expect(create.mock.calls[0][0]).not.toHaveProperty("success_url")
      expect(create.mock.calls[0][0]).not.toHaveProperty("cancel_url")
    })

    it("refuses a session without an id", async () => {
      await expect(provider().initiatePayment({ amount: 10, currency_code: "eur", data: {} } as any)).rejects.toThrow(/session id is missing/)
    })

    it("turns CoinGate's refusal into a MedusaError that carries no token", async () => {
      sim.injectFault({ method: "POST", path: "/v2/orders", kind: "500" })
      const error = await initiate(provider(), "payses_T9").catch((e) => e)
      expect(error).toBeInstanceOf(MedusaError)
      expect(error.type).toBe(MedusaError.Types.UNEXPECTED_STATE)
      expect(error.message).toMatch(/CoinGate could not create the invoice/)
      expect(error.message).not.toContain(API_TOKEN)
      expect(error.message).not.toContain(tokenFor("payses_T9"))
    })
  })

  describe("authorizePayment and getPaymentStatus re-read the order and map it", () => {
    it.each([
      ["new", PaymentSessionStatus.PENDING],
      ["pending", PaymentSessionStatus.PENDING],
      ["confirming", PaymentSessionStatus.PENDING_AUTHORIZATION],
      ["paid", PaymentSessionStatus.CAPTURED],
      ["expired", PaymentSessionStatus.CANCELED],
      ["canceled", PaymentSessionStatus.CANCELED],
      ["invalid", PaymentSessionStatus.ERROR],
    ])("%s -> %s, with the merged data", async (status, expected) => {
      const p = provider()
      const { out } = await initiate(p, "payses_A1")
      if (status !== "new") await sim.setStatus(out.data!.coingate_order_id, status, { callback: false })
      const data = { ...out.data, success_url: "https://shop.example/x" }
      for (const result of [await p.authorizePayment({ data }), await p.getPaymentStatus({ data })]) {
        expect(result.status).toBe(expected)
        expect(result.data).toEqual({ ...data, coingate_status: status })
      }
    })

    it("answers error, with the data, when the order is not this session's or asks another price or currency", async () => {
      const p = provider()
      const { out } = await initiate(p, "payses_A2")
      const id = out.data!.coingate_order_id
      await sim.setStatus(id, "paid", { callback: false })
      expect(await p.authorizePayment({ data: { ...out.data, session_id: "payses_other" } })).toEqual({
        status: PaymentSessionStatus.ERROR,
        data: { ...out.data, session_id: "payses_other" },
      })
      await sim.setStatus(id, "paid", { callback: false, fields: { price_amount: "9.50" } })
      expect((await p.authorizePayment({ data: out.data })).status).toBe(PaymentSessionStatus.ERROR)
      await sim.setStatus(id, "paid", { callback: false, fields: { price_amount: "10.50", price_currency: "USD" } })
      const wrongCurrency = await p.authorizePayment({ data: out.data })
      expect(wrongCurrency.status).toBe(PaymentSessionStatus.ERROR)
      expect(wrongCurrency.data).toEqual(out.data)
    })

    it("accepts CoinGate's own rendering of the amount (10.5 for 10.50)", async () => {
      const p = provider()
      const { out } = await initiate(p, "payses_A3")
      await sim.setStatus(out.data!.coingate_order_id, "paid", { callback: false, fields: { price_amount: "10.5" } })
      expect((await p.authorizePayment({ data: out.data })).status).toBe(PaymentSessionStatus.CAPTURED)
    })

    it("refuses a session without a CoinGate order", async () => {
      await expect(provider().authorizePayment({ data: { session_id: "payses_x" } })).rejects.toThrow(/no CoinGate order/)
    })
  })

  describe("capture, cancel and delete are local", () => {
    it("return the data and never call CoinGate, even when it is unreachable", async () => {
      const p = provider()
      p.gateway.client = unreachable()
      const data = { session_id: "payses_L", coingate_order_id: 5, coingate_status: "paid" }
      expect(await p.capturePayment({ data })).toEqual({ data })
      expect(await p.capturePayment({ data })).toEqual({ data }) // idempotent
      expect(await p.cancelPayment({ data })).toEqual({ data })
      expect(await p.deletePayment({ data })).toEqual({ data })
      expect(await p.capturePayment({} as any)).toEqual({ data: {} })
      for (const call of Object.values(p.gateway.client) as jest.Mock[]) expect(call).not.toHaveBeenCalled()
    })
  })

  describe("updatePayment", () => {
    it("is harmless when the price did not change, or nothing is known", async () => {
      const p = provider()
      const { out } = await initiate(p, "payses_U1")
      p.gateway.client = unreachable()
      expect(await p.updatePayment({ data: out.data, amount: 10.5, currency_code: "eur" } as any)).toEqual({ data: out.data })
      expect(await p.updatePayment({ data: out.data, amount: "10.50", currency_code: "EUR" } as any)).toEqual({ data: out.data })
      expect(await p.updatePayment({ data: out.data } as any)).toEqual({ data: out.data })
      expect(await p.updatePayment({ data: {}, amount: 3, currency_code: "eur" } as any)).toEqual({ data: {} })
      // Compared as decimals: a price written CoinGate's way ("10.5") is the same price.
      const coingateStyle = { ...out.data, price_amount: "10.5" }
      expect(await p.updatePayment({ data: coingateStyle, amount: 10.5, currency_code: "eur" } as any)).toEqual({ data: coingateStyle })
      expect(p.gateway.client.createOrder).not.toHaveBeenCalled()
    })
  })

  it("retrievePayment returns the fresh CoinGate order without its token", async () => {
    const p = provider()
    const { out } = await initiate(p, "payses_R1")
    await sim.setStatus(out.data!.coingate_order_id, "confirming", { callback: false })
    const { data } = await p.retrievePayment({ data: out.data })
    expect(data).toMatchObject({ id: out.data!.coingate_order_id, status: "confirming", order_id: "payses_R1" })
    expect(data).not.toHaveProperty("token")
  })

  it("refundPayment never throws when Medusa refunds on its own, and sends nothing to CoinGate", async () => {
    const data = { session_id: "payses_M1", coingate_order_id: 77, price_currency: "EUR", price_amount: "10.50" }
    const out = await provider().refundPayment({ amount: { value: "5", precision: 20 } as any, data, context: { idempotency_key: "ref_M1" } as any })
    expect(out.data).toEqual(data)
    expect(sim.requestLog).toHaveLength(0)
  })

  describe("getWebhookActionAndData (callbacks through Medusa's /hooks/payment route)", () => {
    async function paidOrder(p: CoinGateProviderService, sessionId: string, status = "paid") {
      const { out } = await initiate(p, sessionId)
      await sim.setStatus(out.data!.coingate_order_id, status, { callback: false })
      return sim.getOrder(out.data!.coingate_order_id)
    }
    const callbackOf = (order: any, over: Record<string, unknown> = {}) => ({
      data: { id: String(order.id), order_id: order.order_id, status: order.status, price_amount: order.price_amount, price_currency: order.price_currency, token: order.token, ...over },
      rawData: Buffer.from(""),
      headers: {},
    })

    it("returns the mapped action with {session_id, amount: price_amount} for a verified callback", async () => {
      const p = provider()
      const order = await paidOrder(p, "payses_W1")
      expect(await p.getWebhookActionAndData(callbackOf(order))).toEqual({
        action: PaymentActions.SUCCESSFUL,
        data: { session_id: "payses_W1", amount: "10.5" }, // CoinGate's price_amount, as it answers it
      })
      // JSON bodies carry the id as a number and the token may carry stray whitespace.
      expect((await p.getWebhookActionAndData(callbackOf(order, { id: order.id, token: ` ${order.token} ` }))).action).toBe(PaymentActions.SUCCESSFUL)
    })

    it("acts on the status read from CoinGate, never the posted one", async () => {
      const p = provider()
      const order = await paidOrder(p, "payses_W2", "pending")
      expect((await p.getWebhookActionAndData(callbackOf(order, { status: "paid" }))).action).toBe(PaymentActions.PENDING)
      await sim.setStatus(order.id, "confirming", { callback: false })
      expect((await p.getWebhookActionAndData(callbackOf(order, { status: "paid" }))).action).toBe(PaymentActions.PENDING_AUTHORIZATION)
      await sim.setStatus(order.id, "expired", { callback: false })
      expect((await p.getWebhookActionAndData(callbackOf(order, { status: "paid" }))).action).toBe(PaymentActions.CANCELED)
    })

    it("returns NOT_SUPPORTED for forged callbacks", async () => {
      const p = provider()
      const order = await paidOrder(p, "payses_W3")
      const other = await paidOrder(p, "payses_W4")
      const forged = [
        callbackOf(order, { token: "guessed" }),
        callbackOf(order, { token: undefined }),
        callbackOf(order, { token: other.token }), // another session's token
        callbackOf(order, { order_id: "payses_W4" }), // claims another session with this session's token
        callbackOf(order, { order_id: "payses_W4", token: other.token }), // another session's order id pair, wrong CoinGate order
        callbackOf(order, { id: "999999" }), // unknown CoinGate order
        { data: undefined, rawData: Buffer.from(""), headers: {} },
      ]
      for (const payload of forged) {
        expect(await p.getWebhookActionAndData(payload as any)).toEqual({ action: PaymentActions.NOT_SUPPORTED })
      }
      // A provider configured with another API token derives other tokens.
      const otherStore = provider({ apiToken: "another_token" })
      sim.options.apiTokens.push("another_token")
      expect(await otherStore.getWebhookActionAndData(callbackOf(order))).toEqual({ action: PaymentActions.NOT_SUPPORTED })
    })

    it("throws when CoinGate cannot be reached to verify (Medusa logs it)", async () => {
      const p = provider()
      const order = await paidOrder(p, "payses_W5")
      p.gateway.client = unreachable()
      await expect(p.getWebhookActionAndData(callbackOf(order))).rejects.toThrow(/could not be verified now/)
    })
  })

  describe("verifyCallback", () => {
    it("returns the session and the order read back, without its token", async () => {
      const p = provider()
      const { out, order } = await initiate(p, "payses_V1")
      const verified = await p.gateway.verifyCallback({ id: order.id, order_id: "payses_V1", token: order.token, status: "paid" })
      expect(verified).toMatchObject({ ok: true, sessionId: "payses_V1", order: { id: out.data!.coingate_order_id, status: "new" } })
      expect((verified as any).order).not.toHaveProperty("token")
    })

    it("says why it refused, and whether it was transient", async () => {
      const p = provider()
      const { order } = await initiate(p, "payses_V2")
      expect(await p.gateway.verifyCallback({ id: order.id, order_id: "payses_V2" })).toMatchObject({ ok: false, reason: expect.stringMatching(/token/) })
      expect(await p.gateway.verifyCallback({ id: 999999, order_id: "payses_V2", token: order.token })).toMatchObject({ ok: false, reason: expect.stringMatching(/no order/) })
      sim.injectFault({ method: "GET", path: /^\/v2\/orders\/\d+$/, kind: "503", times: 10 })
      const down = await p.gateway.verifyCallback({ id: order.id, order_id: "payses_V2", token: order.token })
      expect(down).toMatchObject({ ok: false, transient: true })
      expect(JSON.stringify(down)).not.toContain(API_TOKEN)
    })
  })

  describe("URLs", () => {
    it("builds the callback URL under backendUrl and fills the storefront's return URL", () => {
      const p = provider()
      expect(p.gateway.callbackUrl).toBe(`${BACKEND}/hooks/coingate`)
      expect(p.gateway.storefrontReturnUrl("success", undefined, { sessionId: "payses_1", cartId: "cart_1" })).toBe("https://shop.example/order/cart_1?s=payses_1")
      expect(p.gateway.storefrontReturnUrl("cancel", undefined, { sessionId: "payses_1", cartId: "cart_1" })).toBe("https://shop.example/cart")
      expect(p.gateway.storefrontReturnUrl("success", { success_url: "https://shop.example/t/{cart_id}" }, { sessionId: "s", cartId: "c 1" })).toBe("https://shop.example/t/c%201")
      expect(provider({ successUrl: undefined }).gateway.storefrontReturnUrl("success", undefined, { sessionId: "s", cartId: null })).toBeNull()
    })

    it("links to CoinGate's dashboard, or to the simulator's invoice page", () => {
      expect(provider({ apiUrl: undefined }).gateway.dashboardUrl(12)).toBe("https://coingate.com/account/orders/12")
      expect(provider({ apiUrl: undefined, sandbox: true }).gateway.dashboardUrl(12)).toBe("https://sandbox.coingate.com/account/orders/12")
      // Another API (the simulator) has no dashboard: the order's invoice page is its view.
      expect(provider({ sandbox: true }).gateway.dashboardUrl(12, `${sim.url}/invoice/abc`)).toBe(`${sim.url}/invoice/abc`)
      expect(provider().gateway.dashboardUrl(12)).toBeNull()
    })
  })

  it("testConnection reports whether CoinGate accepts the token", async () => {
    expect(await provider().gateway.testConnection()).toEqual({ ok: true, sandbox: false, apiOrigin: sim.url })
    const bad = await provider({ apiToken: "rejected_token" }).gateway.testConnection()
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/rejected the API token/) })
    expect(JSON.stringify(bad)).not.toContain("rejected_token")
  })
})

import { CoinGateApiError, CoinGateClient, CoinGateResponseError } from "../client"
import { beneficiaryProblem, ledgerAccountsProblem, orderListProblem, orderProblem, payoutSettingProblem, refundProblem, sendRequestProblem } from "../responses"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../../simulator")

const TOKEN = "cg_responses_unit_token_41"
const order = (over: Record<string, unknown> = {}) => ({
  id: 42,
  status: "paid",
  order_id: "payses_1",
  price_amount: "10.50",
  price_currency: "EUR",
  receive_amount: "",
  pay_amount: null,
  refunds: [],
  ...over,
})

describe("checks of CoinGate's answers", () => {
  it("accepts a well-formed order, as asked for", () => {
    expect(orderProblem(order(), { id: 42 })).toBeNull()
    expect(orderProblem(order(), { id: "42" })).toBeNull()
    expect(orderProblem(order({ price_amount: "10.0", receive_amount: "0.00012", order_id: null }))).toBeNull()
    expect(orderProblem(order(), { orderId: "payses_1" })).toBeNull()
  })

  it.each([
    ["no id", order({ id: undefined }), {}],
    ["a string id", order({ id: "42" }), {}],
    ["another order's id", order({ id: 43 }), { id: 42 }],
    ["an unknown status", order({ status: "settled" }), {}],
    ["a numeric price_amount", order({ price_amount: 10.5 }), {}],
    ["a non-decimal price_amount", order({ price_amount: "10,50" }), {}],
    ["an exponent", order({ price_amount: "1e3" }), {}],
    ["a negative amount", order({ pay_amount: "-1" }), {}],
    ["no price_currency", order({ price_currency: "" }), {}],
    ["another session's order", order({ order_id: "payses_2" }), { orderId: "payses_1" }],
    ["refunds not a list", order({ refunds: {} }), {}],
    ["not an object", ["x"], {}],
  ])("refuses an order with %s", (_what, value, expected) => {
    expect(orderProblem(value, expected)).toEqual(expect.any(String))
  })

  it("checks every listed order", () => {
    expect(orderListProblem({ orders: [order(), order({ id: 7 })] })).toBeNull()
    expect(orderListProblem({ orders: [order(), order({ status: "?" })] })).toMatch(/order 1/)
    expect(orderListProblem({})).toMatch(/list/)
  })

  it("checks refunds and send requests: id, the one asked for, a status, decimal amounts", () => {
    expect(refundProblem({ id: 5, status: "pending", request_amount: "1.00", refund_amount: null }, 5)).toBeNull()
    expect(refundProblem({ id: 6, status: "pending" }, 5)).toMatch(/another/)
    expect(refundProblem({ status: "pending" })).toMatch(/id/)
    expect(refundProblem({ id: 5, status: 3 })).toMatch(/status/)
    expect(refundProblem({ id: 5, status: "pending", request_amount: "one" })).toMatch(/request_amount/)
    expect(sendRequestProblem({ id: 9, status: "draft", input_amount: "5.00" }, "9")).toBeNull()
    expect(sendRequestProblem({ id: 10, status: "draft" }, 9)).toMatch(/another/)
    expect(sendRequestProblem({ id: 9 })).toMatch(/status/)
    expect(ledgerAccountsProblem({ accounts: [{ id: "01H" }] })).toBeNull()
    expect(ledgerAccountsProblem({ accounts: [{}] })).toMatch(/id/)
  })

  it("checks the payout path's answers by reference/v2.json: integer ids, the payout settings, the external_id sent", () => {
    const setting = { id: 1, crypto_address: "tb1q", crypto_address_metadata: null, created_at: "2024-01-01T00:00:00.691Z", platform: { id: 6 }, currency: { id: 1 } }
    // The create-beneficiary example's fields.
    expect(beneficiaryProblem({ id: 1, beneficiary_type: "person", first_name: "Joes", surname: "Doehs", country: "LAV", beneficiary_payout_settings: [setting] })).toBeNull()
    expect(beneficiaryProblem({ id: "1", beneficiary_payout_settings: [setting] })).toMatch(/id/)
    expect(beneficiaryProblem({ id: 1 })).toMatch(/beneficiary_payout_settings/)
    expect(beneficiaryProblem({ id: 1, beneficiary_payout_settings: [{ ...setting, id: null }] })).toMatch(/payout setting without a valid id/)
    expect(beneficiaryProblem({ id: 1, beneficiary_payout_settings: [{ ...setting, crypto_address: 5 }] })).toMatch(/crypto_address/)
    // The create-beneficiary-payout-setting example: of the beneficiary asked for.
    expect(payoutSettingProblem({ ...setting, id: 29, beneficiary_id: 216 }, { beneficiaryId: 216 })).toBeNull()
    expect(payoutSettingProblem({ ...setting, id: 29, beneficiary_id: 217 }, { beneficiaryId: 216 })).toMatch(/another beneficiary/)
    // create-send: an integer id, and the external_id that was sent echoed back.
    expect(sendRequestProblem({ id: 11, status: "draft", external_id: "ref_1" }, undefined, { externalId: "ref_1" })).toBeNull()
    expect(sendRequestProblem({ id: 11, status: "draft", external_id: "ref_2" }, undefined, { externalId: "ref_1" })).toMatch(/external_id/)
    expect(sendRequestProblem({ id: "sr_11", status: "draft" })).toMatch(/id/)
    expect(sendRequestProblem({ id: 11, status: "draft", beneficiary_payout_setting: "2" })).toMatch(/beneficiary_payout_setting/)
  })

  it("names fields, never the values received", () => {
    const secret = "tok_secret_value_in_answer"
    for (const problem of [orderProblem(order({ status: secret })), orderProblem(order({ id: secret })), refundProblem({ id: 1, status: "x", refund_amount: secret })]) {
      expect(problem).not.toContain(secret)
    }
  })
})

describe("the client raises a transient CoinGateResponseError for a malformed answer", () => {
  let sim: any
  beforeAll(async () => {
    sim = await startSimulator({ apiTokens: [TOKEN] })
  })
  afterAll(() => sim.close())
  const client = () => new CoinGateClient({ apiOrigin: sim.url, apiToken: TOKEN, timeoutMs: 2000, backoffMs: 5 })

  it.each([
    ["without id", { id: undefined }],
    ["with another id", { id: 1 }],
    ["with an unknown status", { status: "settled" }],
    ["with a non-decimal amount", { price_amount: "ten" }],
  ])("an order %s", async (_what, corruption) => {
    const created = await client().createOrder({
      order_id: "payses_1",
      price_amount: "10.50",
      price_currency: "EUR",
      title: "Order payses_1",
      description: "Payment for payses_1",
      callback_url: "http://127.0.0.1:1/hooks/coingate",
      token: "cb_token",
    })
    Object.assign(sim.store.mustGet(created.id), corruption)
    const error = await client()
      .getOrder(created.id)
      .catch((e) => e)
    expect(error).toBeInstanceOf(CoinGateResponseError)
    expect(error).toBeInstanceOf(CoinGateApiError)
    expect(error.transient).toBe(true)
    expect(error.message).toMatch(new RegExp(`GET /orders/${created.id}`))
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(TOKEN)
  })
})

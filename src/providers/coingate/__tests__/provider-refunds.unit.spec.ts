import { MedusaError } from "@medusajs/framework/utils"
import { refundTokenFor, deriveCallbackKey } from "../../../coingate/callback-token"
import { CoinGateProviderService } from "../service"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../../../simulator")

const API_TOKEN = "cg_refund_unit_token"
const BACKEND = "https://api.shop.example"
const warnings: string[] = []
const logger = new Proxy({}, { get: (_t, level) => (msg: string) => (level === "warn" ? warnings.push(msg) : undefined) }) as any
const EUR = "01JNQWKKJ6WXN8BZT1Y66B6EUR"
const BTC = "01JNQWKKJ6WXN8BZT1Y66B6BTC"

let sim: any
const provider = (options: Record<string, unknown> = {}) =>
  new CoinGateProviderService({ logger }, { apiToken: API_TOKEN, apiUrl: sim.url, backendUrl: BACKEND, ...options } as any)

beforeAll(async () => {
  sim = await startSimulator({ apiTokens: [API_TOKEN] })
})
afterAll(() => sim.close())
beforeEach(() => {
  sim.reset()
  warnings.length = 0
})

/** A paid CoinGate order and the payment data Medusa would hand the provider. */
async function paid(p: CoinGateProviderService, sessionId = "payses_R1") {
  const out = await p.initiatePayment({ amount: 10.5, currency_code: "eur", data: { session_id: sessionId } } as any)
  await sim.setStatus(out.data!.coingate_order_id, "paid", { callback: false })
  return out.data as Record<string, any>
}

const request = (data: Record<string, any>, over: Record<string, unknown> = {}) =>
  ({
    id: "req-1",
    method: "refund",
    amount: "4.50",
    currency_code: "EUR",
    coingate_order_id: String(data.coingate_order_id),
    address: "bc1qshopper",
    currency_id: 1,
    platform_id: 2,
    email: "shopper@example.com",
    reason: "Broken",
    ledger_account_id: EUR,
    requested_at: new Date().toISOString(),
    ...over,
  }) as any

const refund = (p: CoinGateProviderService, data: Record<string, any>, refundId = "ref_01", amount: any = { value: "4.5", precision: 20 }) =>
  p.refundPayment({ amount, data, context: { idempotency_key: refundId } as any })

/** What the admin route does (inside the payment's lock, for an intent it recorded): ask CoinGate through `send`. */
async function withIntent(p: CoinGateProviderService, request: any, intentId = "cgint_01") {
  return { entry: (await p.gateway.refunds.send(request, { intentId, medusaRefundId: null })) as any }
}

/** What a storefront or shopper could put in a payment's data: a refund request of its own making. */
const injected = (data: Record<string, any>) => ({
  ...data,
  coingate_refund_request: { ...request(data), method: "payout", amount: "4.50", expires_at: "2099-01-01T00:00:00Z" },
  coingate_refunds: [],
})

describe("an admin intent, asked of CoinGate by the admin route", () => {
  it("asks CoinGate for the refund once, with a callback URL tokenized for the intent's id", async () => {
    const p = provider()
    const data = await paid(p)
    const { entry } = await withIntent(p, request(data))
    expect(entry).toMatchObject({ kind: "refund", request_id: "req-1", intent_id: "cgint_01", medusa_refund_id: null, amount: "4.50", currency_code: "EUR", coin: "BTC", network: "Bitcoin", status: "pending" })
    const remote = sim.getRefund(entry.coingate_id)
    const token = refundTokenFor(deriveCallbackKey({ apiToken: API_TOKEN }), "refund", "cgint_01")
    expect(remote.callback_url).toBe(`${BACKEND}/hooks/coingate/refunds/${token}`)
    expect(p.gateway.refunds.isTokenFor("refund", "cgint_01", token)).toBe(true)
    expect(JSON.stringify(entry)).not.toContain(token)
    expect(sim.listRefunds()).toHaveLength(1)
  })

  it("issue 22, finding 4: refundPayment never sends anything, whoever calls it and whatever amount", async () => {
    const p = provider()
    const data = await paid(p)
    for (const [id, amount] of [["ref_01", { value: "4.5", precision: 20 }], ["ref_02", 9], ["ref_03", { value: "10.5", precision: 20 }]] as const) {
      const out = await refund(p, data, id, amount)
      expect(JSON.parse(JSON.stringify(out.data))).toEqual(data)
    }
    expect(sim.listRefunds()).toHaveLength(0)
    expect(sim.listSendRequests()).toHaveLength(0)
  })

  it("passes CoinGate's refusal on as invalid data (not made), and a 5xx after sending as an unknown outcome", async () => {
    const p = provider()
    const data = await paid(p)
    const tooSmall = await withIntent(p, request(data, { amount: "0.50" })).catch((e) => e)
    expect(tooSmall).toBeInstanceOf(MedusaError)
    expect(tooSmall.type).toBe(MedusaError.Types.INVALID_DATA)
    expect(tooSmall.message).toMatch(/CoinGate refused the refund: Request amount must be higher than 1.0 EUR/)
    expect(tooSmall.outcome).toBe("not_made")
    sim.injectFault({ method: "POST", path: "/v2/orders/*", kind: "503" })
    const down = await withIntent(p, request(data)).catch((e) => e)
    expect(down.type).toBe(MedusaError.Types.UNEXPECTED_STATE)
    expect(down.message).not.toMatch(/nothing was refunded/)
    expect(down.outcome).toBe("unknown")
    sim.injectFault({ method: "POST", path: "/v2/orders/*", kind: "502_after" })
    const lost = await withIntent(p, request(data), "cgint_02").catch((e) => e)
    expect(lost.outcome).toBe("unknown")
    // CoinGate made it: found in the order's refund list by the intent's callback URL.
    const list = await p.gateway.refunds.listOrderRefunds(data.coingate_order_id, 1)
    expect(list.refunds.map((r: any) => r.callback_url)).toEqual([p.gateway.refunds.callbackUrl("refund", "cgint_02")])
  })
})

describe("refundPayment without an admin intent (Medusa refunding on its own)", () => {
  it("never reads instructions from the payment data: an injected refund request or payout sends nothing", async () => {
    const p = provider()
    const data = await paid(p)
    const out = await refund(p, injected(data), "ref_05")
    expect(sim.listRefunds()).toHaveLength(0)
    expect(sim.listSendRequests()).toHaveLength(0)
    // Undefined: erased from the payment's data when Medusa merges it in.
    expect(JSON.parse(JSON.stringify(out.data))).toEqual(JSON.parse(JSON.stringify({ ...data })))
  })

})

describe("payouts", () => {
  const payout = (data: Record<string, any>, over: Record<string, unknown> = {}) =>
    request(data, { method: "payout", amount_currency_id: 11, beneficiary: { first_name: "Ada", last_name: "Shopper", country: "LTU" }, ledger_account_id: BTC, ...over })

  it("creates a beneficiary, uses its payout setting and sends with external_id = the intent's id", async () => {
    const p = provider()
    const data = await paid(p)
    const { entry } = await withIntent(p, payout(data, { address_memo: "m-1" }), "ref_0123456789")
    expect(entry).toMatchObject({ kind: "payout", status: "in_progress", coin: "BTC", exchange: null })
    const remote = sim.getSendRequest(entry.coingate_id)
    expect(remote).toMatchObject({ external_id: "ref_0123456789", input_amount: "4.5", beneficiary_payout_setting: { id: Number(entry.beneficiary_payout_setting_id), crypto_address_metadata: "m-1" } })
    expect(remote.callback_url).toBe(`${BACKEND}/hooks/coingate/send-requests/${refundTokenFor(deriveCallbackKey({ apiToken: API_TOKEN }), "send_request", "ref_0123456789")}`)
    expect(entry.snapshot).toMatchObject({ sending_amount: "0.00009", external_id: "ref_0123456789" })
  })

  it("cancels an exchange by default and confirms it with autoConfirmPayoutExchange", async () => {
    const off = provider()
    const data = await paid(off)
    const canceled = (await withIntent(off, payout(data, { ledger_account_id: EUR }), "ref_x1")).entry
    expect(canceled).toMatchObject({ status: "canceled", exchange: { decision: "canceled", note: expect.stringMatching(/autoConfirmPayoutExchange is off/) } })

    const on = provider({ autoConfirmPayoutExchange: true })
    const data2 = await paid(on, "payses_R2")
    const confirmed = (await withIntent(on, payout(data2, { ledger_account_id: EUR }), "ref_x2")).entry
    expect(confirmed).toMatchObject({ status: "in_progress", exchange: { decision: "confirmed" } })
    expect(confirmed.snapshot.actions_required).toBeNull()
  })

  it("refuses a payout with no name for the beneficiary before anything reaches CoinGate", async () => {
    const p = provider()
    const data = await paid(p)
    const error = await withIntent(p, payout(data, { beneficiary: { first_name: "", last_name: "", country: "LTU" } })).catch((e) => e)
    expect(error.type).toBe(MedusaError.Types.INVALID_DATA)
    expect(error.message).toMatch(/first name, a surname and an ISO alpha-3 country/)
    expect(sim.requestLog.some((r: any) => r.path === "/v2/beneficiaries")).toBe(false)
  })

  it("says what CoinGate refused in a beneficiary (its errors by field), before any send request", async () => {
    const p = provider()
    const data = await paid(p)
    // Bitcoin (currency 1) is not on the Ethereum network (platform 4): CoinGate names platform_id.
    const error = await withIntent(p, payout(data, { platform_id: 4 })).catch((e) => e)
    expect(error.type).toBe(MedusaError.Types.INVALID_DATA)
    expect(error.message).toMatch(/CoinGate refused the payout beneficiary: platform_id is not supported/)
    expect(sim.listSendRequests()).toHaveLength(0)
  })
})

describe("refund options", () => {
  it("lists refund coins with networks, ledger accounts and CoinGate's currency ids", async () => {
    const p = provider({ ledgerAccountId: BTC })
    expect((await p.gateway.refunds.refundCoins()).find((c) => c.symbol === "USDT")!.platforms.map((x) => x.title)).toEqual(["Ethereum", "Tron"])
    expect((await p.gateway.refunds.ledgerAccounts()).map((a) => a.currency?.symbol)).toEqual(["EUR", "BTC", "USDT"])
    expect(await p.gateway.refunds.currencyIdOf("eur")).toBe(11)
    expect(p.gateway.refunds.configuredLedgerAccountId).toBe(BTC)
  })
})

import { MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { CoinGateProviderService } from "../service"
import { pickStorefrontData } from "../../../gateway/session-input"
import { COINGATE_STATUSES, CoinGateOrder, CoinGateStatus } from "../../../coingate/types"
import { resolveOptions } from "../../../shared/options"
import { planFor } from "../../../payments/rules/plan"
import { toSessionStatus, toWebhookAction } from "../../../payments/rules/status-policy"

const noLogger = { info() {}, warn() {}, error() {}, debug() {} } as any
const options = { apiToken: "tok_123", backendUrl: "https://api.shop.example" }

describe("order-first flow: status mapping", () => {
  it.each([
    ["new", PaymentSessionStatus.PENDING, PaymentSessionStatus.PENDING_AUTHORIZATION],
    ["pending", PaymentSessionStatus.PENDING, PaymentSessionStatus.PENDING_AUTHORIZATION],
  ] as const)("%s: pending by default, pending_authorization when the storefront chose order first", (status, dflt, orderFirst) => {
    expect(toSessionStatus(status)).toBe(dflt)
    expect(toSessionStatus(status, { orderFirst: false })).toBe(dflt)
    expect(toSessionStatus(status, { orderFirst: true })).toBe(orderFirst)
  })

  it("leaves every other status as it is", () => {
    for (const status of COINGATE_STATUSES.filter((s) => s !== "new" && s !== "pending")) {
      expect(toSessionStatus(status, { orderFirst: true })).toBe(toSessionStatus(status))
    }
    expect(toSessionStatus("paid", { orderFirst: true })).toBe(PaymentSessionStatus.CAPTURED)
    expect(toSessionStatus("expired", { orderFirst: true })).toBe(PaymentSessionStatus.CANCELED)
  })

  it("does not change the webhook actions (an unpaid invoice never acts through Medusa's subscriber)", () => {
    expect(toWebhookAction("new")).toBe(PaymentActions.PENDING)
    expect(toWebhookAction("pending")).toBe(PaymentActions.PENDING)
  })
})

describe("order-first flow: the plan once the order is placed awaiting payment", () => {
  const placed = { sessionStatus: "pending_authorization", captured: false, hasCart: true, orderId: "order_1", orderCanceled: false }

  it("captures on paid, on the same order", () => {
    expect(planFor("paid", placed)).toEqual({ kind: "capture", reopenSession: false })
  })

  it.each(["expired", "canceled"] as CoinGateStatus[])("cancels the order when the invoice is %s unpaid", (status) => {
    expect(planFor(status, placed)).toEqual({ kind: "cancel", cancelOrder: true })
  })

  it("changes nothing on pending and confirming (the order already exists)", () => {
    expect(planFor("pending", placed)).toEqual({ kind: "no_change" })
    expect(planFor("confirming", placed)).toEqual({ kind: "no_change" })
  })
})

describe("order-first flow: session data from the storefront", () => {
  it("carries flow into the session data", () => {
    expect(pickStorefrontData({ flow: "order_first", email: "a@b.example" })).toEqual({ flow: "order_first", email: "a@b.example" })
    expect(pickStorefrontData({ flow: "redirect_first" })).toEqual({ flow: "redirect_first" })
    expect(pickStorefrontData({})).toEqual({})
    expect(pickStorefrontData({ flow: "" })).toEqual({})
  })

  it.each(["orderfirst", "ORDER_FIRST", 1, true, {}])("rejects an unknown flow (%p)", (flow) => {
    let error: unknown
    try {
      pickStorefrontData({ flow }, resolveOptions(options))
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MedusaError)
    expect((error as MedusaError).type).toBe(MedusaError.Types.INVALID_DATA)
    expect((error as Error).message).toMatch(/`flow`.*redirect_first, order_first/)
  })
})

describe("order-first flow: the provider", () => {
  const order = (status: CoinGateStatus): CoinGateOrder =>
    ({ id: 7, status, order_id: "payses_1", price_amount: "10.50", price_currency: "EUR" }) as CoinGateOrder

  function providerReading(status: CoinGateStatus) {
    const provider = new CoinGateProviderService({ logger: noLogger }, options)
    provider.gateway.client = { getOrder: async () => order(status) } as any
    return provider
  }

  const session = (flow?: string) => ({
    session_id: "payses_1",
    coingate_order_id: 7,
    price_amount: "10.50",
    price_currency: "EUR",
    ...(flow ? { flow } : {}),
  })

  it.each(["new", "pending"] as CoinGateStatus[])("authorizes a %s invoice as pending_authorization only for order first", async (status) => {
    const provider = providerReading(status)
    expect((await provider.authorizePayment({ data: session("order_first") })).status).toBe(PaymentSessionStatus.PENDING_AUTHORIZATION)
    expect((await provider.authorizePayment({ data: session() })).status).toBe(PaymentSessionStatus.PENDING)
    expect((await provider.getPaymentStatus({ data: session("redirect_first") })).status).toBe(PaymentSessionStatus.PENDING)
  })

  it("keeps flow in the data it returns (authorize replaces the session data)", async () => {
    const result = await providerReading("pending").authorizePayment({ data: session("order_first") })
    expect(result.data).toMatchObject({ flow: "order_first", coingate_status: "pending" })
  })

  it("maps paid and expired the same way in both flows", async () => {
    expect((await providerReading("paid").getPaymentStatus({ data: session("order_first") })).status).toBe(PaymentSessionStatus.CAPTURED)
    expect((await providerReading("expired").getPaymentStatus({ data: session("order_first") })).status).toBe(PaymentSessionStatus.CANCELED)
  })
})

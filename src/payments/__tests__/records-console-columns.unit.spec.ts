import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { CoinGateOrder } from "../../coingate/types"
import { CoinGatePaymentRecord, recordFields } from "../records"

/** A container whose Query answers the given order and cart, counting the reads; the module service echoes what it is given. */
function fakeContainer() {
  const graph = jest.fn(async ({ entity }: { entity: string }) => ({
    data: entity === "order" ? [{ display_id: 42, email: "Buyer@Example.COM" }] : [{ email: "Cart@Example.com" }],
  }))
  const service = {
    createCoinGatePayments: jest.fn(async (fields: any) => ({ id: "cgpay_1", created_at: new Date(), ...fields })),
    updateCoinGatePayments: jest.fn(async (fields: any) => ({ created_at: new Date(), ...fields })),
  }
  const container: any = { resolve: (key: string) => (key === ContainerRegistrationKeys.QUERY ? { graph } : service) }
  return { container, graph }
}

const order = (fields: Partial<CoinGateOrder> = {}): CoinGateOrder =>
  ({ id: 7, status: "pending", price_amount: "10.5", price_currency: "eur", pay_amount: "0.000123456789012345678", pay_currency: "btc", ...fields }) as CoinGateOrder

const save = async (container: any, existing: CoinGatePaymentRecord | null, o: CoinGateOrder, ids: { cartId: string | null; orderId: string | null }) =>
  (await recordFields(container, existing, { existing, order: o, sessionId: "payses_1", providerId: "pp_coingate_coingate", ...ids, medusaState: "pending", source: "callback", now: new Date() })) as unknown as CoinGatePaymentRecord

describe("recordFields: the console's columns", () => {
  it("copies the CoinGate order's amounts and currencies (upper case), and refuses what is not a plain decimal", async () => {
    const { container } = fakeContainer()
    const saved = await save(container, null, order(), { cartId: null, orderId: null })
    expect(saved).toMatchObject({ price_amount: "10.5", price_currency: "EUR", pay_amount: "0.000123456789012345678", pay_currency: "BTC" })
    const odd = await save(container, null, order({ price_amount: "1e3", pay_amount: null, pay_currency: null }), { cartId: null, orderId: null })
    expect(odd).toMatchObject({ price_amount: null, pay_amount: null, pay_currency: null })
  })

  it("reads Medusa at most once, and only when there is something new: a new record's cart, then the order when it changes", async () => {
    const { container, graph } = fakeContainer()
    const created = await save(container, null, order(), { cartId: "cart_1", orderId: null })
    expect(created).toMatchObject({ email: "cart@example.com", order_display_id: null })
    expect(graph).toHaveBeenCalledTimes(1)

    const again = await save(container, created, order({ status: "confirming" }), { cartId: "cart_1", orderId: null })
    expect(again).toMatchObject({ email: "cart@example.com", order_display_id: null })
    expect(graph).toHaveBeenCalledTimes(1) // nothing new: no read

    const placed = await save(container, again, order({ status: "paid" }), { cartId: "cart_1", orderId: "order_1" })
    expect(placed).toMatchObject({ email: "buyer@example.com", order_display_id: 42, order_id: "order_1" })
    expect(graph).toHaveBeenCalledTimes(2)
    expect(graph.mock.calls[1][0]).toMatchObject({ entity: "order", filters: { id: "order_1" } })

    await save(container, placed, order({ status: "paid" }), { cartId: "cart_1", orderId: "order_1" })
    expect(graph).toHaveBeenCalledTimes(2) // same order, number known: no read
  })
})

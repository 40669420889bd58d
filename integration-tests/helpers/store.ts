import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createRegionsWorkflow } from "@medusajs/medusa/core-flows"
import type { AxiosInstance } from "axios"

export const COINGATE = "pp_coingate_coingate"
export const SYSTEM = "pp_system_default"

export type Store = { regionId: string; salesChannelId: string; headers: { "x-publishable-api-key": string } }

/** A region paying in `currency` with the CoinGate and system providers, a sales channel and a publishable key. */
export async function seedStore(container: MedusaContainer, currency = "eur"): Promise<Store> {
  const { result } = await createRegionsWorkflow(container).run({
    input: { regions: [{ name: `Crypto ${currency}`, currency_code: currency, countries: [], payment_providers: [COINGATE, SYSTEM] }] },
  })
  const salesChannel = await container.resolve(Modules.SALES_CHANNEL).createSalesChannels({ name: "Web" })
  const key = await container.resolve(Modules.API_KEY).createApiKeys({ title: "store", type: "publishable", created_by: "test" })
  await container.resolve(ContainerRegistrationKeys.LINK).create({
    [Modules.API_KEY]: { publishable_key_id: key.id },
    [Modules.SALES_CHANNEL]: { sales_channel_id: salesChannel.id },
  })
  return { regionId: result[0].id, salesChannelId: salesChannel.id, headers: { "x-publishable-api-key": key.token } }
}

/** A guest cart with one custom item (no product, stock or shipping needed). */
export async function createCart(container: MedusaContainer, store: Store, unitPrice: number, currency = "eur") {
  const cart = await container.resolve(Modules.CART).createCarts({
    currency_code: currency,
    region_id: store.regionId,
    sales_channel_id: store.salesChannelId,
    email: "shopper@example.com",
    items: [{ title: "Sticker", quantity: 1, unit_price: unitPrice, requires_shipping: false }],
  })
  return cart
}

/** What a storefront does: a payment collection for the cart, then a CoinGate session. */
/**
 * Creates a payment session as a storefront should: a 429 (the request budget's checkout share, issue 22
 * finding 6) is tried again after its Retry-After, a few times. Specs that make many checkouts a minute
 * would otherwise fail on the store's own flood protection rather than on what they test.
 */
export async function createPaymentSession(api: AxiosInstance, store: Store, collectionId: string, body: Record<string, unknown>) {
  for (let attempt = 0; ; attempt++) {
    const res = await api.post(`/store/payment-collections/${collectionId}/payment-sessions`, body, { headers: store.headers, validateStatus: () => true })
    if (res.status !== 429 || attempt >= 6) return res
    const seconds = Math.min(60, Math.max(1, Number(res.headers["retry-after"]) || 1))
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
  }
}

export async function startCoinGatePayment(api: AxiosInstance, store: Store, cartId: string, data: Record<string, unknown> = {}) {
  const { data: pc } = await api.post("/store/payment-collections", { cart_id: cartId }, { headers: store.headers })
  const collectionId = pc.payment_collection.id
  const created = await createPaymentSession(api, store, collectionId, { provider_id: COINGATE, data })
  if (created.status !== 200) throw new Error(`payment session: ${created.status} ${JSON.stringify(created.data).slice(0, 300)}`)
  const withSession = created.data
  const session = withSession.payment_collection.payment_sessions.find((s: any) => s.provider_id === COINGATE)
  return { collectionId, session, coingateOrderId: session.data.coingate_order_id as number }
}

export async function completeCart(api: AxiosInstance, store: Store, cartId: string) {
  return api.post(`/store/carts/${cartId}/complete`, {}, { headers: store.headers, validateStatus: () => true })
}

/** The cart's order with its payments, or null while the cart has none. */
export async function orderOfCart(container: MedusaContainer, cartId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: links } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cartId } })
  if (!links[0]) return null
  const { data: orders } = await query.graph({
    entity: "order",
    fields: ["id", "status", "payment_collections.status", "payment_collections.payments.*", "payment_collections.payments.captures.*", "transactions.*"],
    filters: { id: links[0].order_id },
  })
  const order = orders[0]
  if (!order) return null
  const payments = (order.payment_collections ?? []).flatMap((c: any) => c.payments ?? [])
  return {
    ...order,
    payments,
    /** Every payment captured, and at least one: the order is paid. */
    captured: payments.length > 0 && payments.every((p: any) => !!p.captured_at),
    captures: payments.flatMap((p: any) => p.captures ?? []),
  }
}

export async function sessionById(container: MedusaContainer, id: string) {
  const [session] = await container.resolve(Modules.PAYMENT).listPaymentSessions({ id }, { relations: ["payment", "payment.captures"] })
  return session ?? null
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, { timeoutMs = 15000, everyMs = 200 } = {}): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value) return value
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** The plugin's record of a CoinGate order (`coingate_payment`), or null. */
export async function recordOf(container: MedusaContainer, coingateOrderId: number | string) {
  const service: any = container.resolve("coingate")
  const [record] = await service.listCoinGatePayments({ coingate_order_id: String(coingateOrderId) })
  return record ?? null
}

/** Every order in the store (to prove there is exactly one). */
export async function allOrders(container: MedusaContainer) {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["id", "status"] })
  return data
}

/**
 * Captures what the app logs while still letting it through: the calls to Medusa's logger
 * (the container's `logger`, shared with the modules and providers), writes to stdout and
 * stderr, and console calls. `text()` is everything captured; `stop()` restores them all.
 */
export function captureOutput(container: MedusaContainer) {
  const chunks: string[] = []
  const format = (...args: any[]) => require("util").format(...args)
  const through = <T extends object>(target: T, method: string, record: (...args: any[]) => void) => {
    const original = (target as any)[method].bind(target)
    return jest.spyOn(target as any, method as any).mockImplementation(((...args: any[]) => {
      record(...args)
      return original(...args)
    }) as any)
  }
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER) as any
  const spies = [
    ...["error", "warn", "info", "debug", "log", "panic", "activity", "progress", "failure", "success"]
      .filter((m) => typeof logger[m] === "function")
      .map((m) => through(logger, m, (...args) => chunks.push(format(...args)))),
    ...[process.stdout, process.stderr].map((stream) =>
      through(stream, "write", (chunk) => chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8")))
    ),
    ...["log", "info", "warn", "error", "debug"].map((m) => through(console, m, (...args) => chunks.push(format(...args)))),
  ]
  return { text: () => chunks.join("\n"), stop: () => spies.forEach((s) => s.mockRestore()) }
}

/**
 * Admin API calls with the current login's headers; every answer's body is kept in `seen`
 * so a spec can assert no secret ever appeared in an admin response.
 */
export function adminClient(api: AxiosInstance, headers: () => Record<string, string>, seen: string[]) {
  const keep = <T extends { data: unknown }>(res: T) => {
    seen.push(JSON.stringify(res.data))
    return res
  }
  return {
    get: async (url: string) => keep(await api.get(url, { headers: headers(), validateStatus: () => true })),
    post: async (url: string, body: unknown = {}) => keep(await api.post(url, body, { headers: headers(), validateStatus: () => true })),
  }
}

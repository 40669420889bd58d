import axios, { AxiosInstance } from "axios"
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "./admin-stack"

export const COINGATE = "pp_coingate_coingate"

/**
 * Seeds the running development store through its HTTP APIs, as a merchant and a shopper
 * would: a region paying in EUR with CoinGate, a sales channel with a publishable key, a
 * product; then checkouts paid (or not) through the simulator.
 */
export class StoreSeeder {
  admin!: AxiosInstance
  store!: AxiosInstance
  regionId = ""
  salesChannelId = ""
  variantId = ""

  constructor(readonly url: string, readonly sim: any) {}

  async setup() {
    const { data: auth } = await axios.post(`${this.url}/auth/user/emailpass`, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })
    this.admin = axios.create({ baseURL: this.url, headers: { authorization: `Bearer ${auth.token}` } })
    const { data: region } = await this.admin.post("/admin/regions", {
      name: "Europe (crypto)",
      currency_code: "eur",
      countries: ["de", "fr"],
      payment_providers: [COINGATE],
    })
    this.regionId = region.region.id
    const { data: sc } = await this.admin.post("/admin/sales-channels", { name: "Webshop" })
    this.salesChannelId = sc.sales_channel.id
    const { data: key } = await this.admin.post("/admin/api-keys", { title: "Webshop", type: "publishable" })
    await this.admin.post(`/admin/api-keys/${key.api_key.id}/sales-channels`, { add: [this.salesChannelId] })
    const { data: product } = await this.admin.post("/admin/products", {
      title: "Hardware wallet",
      status: "published",
      options: [{ title: "Color", values: ["Black"] }],
      variants: [
        {
          title: "Black",
          options: { Color: "Black" },
          manage_inventory: false,
          prices: [{ currency_code: "eur", amount: 79 }],
        },
      ],
      sales_channels: [{ id: this.salesChannelId }],
    })
    this.variantId = product.product.variants[0].id
    this.store = axios.create({ baseURL: this.url, headers: { "x-publishable-api-key": key.api_key.token } })
  }

  /** A shopper's cart with a CoinGate payment session: returns the cart, session and CoinGate order ids. */
  async checkout(email: string, quantity = 1, flow?: "order_first") {
    const { data: c } = await this.store.post("/store/carts", {
      region_id: this.regionId,
      sales_channel_id: this.salesChannelId,
      email,
    })
    const cartId = c.cart.id
    await this.store.post(`/store/carts/${cartId}/line-items`, { variant_id: this.variantId, quantity })
    const { data: pc } = await this.store.post("/store/payment-collections", { cart_id: cartId })
    const { data: withSession } = await this.store.post(`/store/payment-collections/${pc.payment_collection.id}/payment-sessions`, {
      provider_id: COINGATE,
      data: flow ? { email, flow } : { email },
    })
    const session = withSession.payment_collection.payment_sessions.find((s: any) => s.provider_id === COINGATE)
    return { cartId, sessionId: session.id as string, coingateOrderId: session.data.coingate_order_id as number }
  }

  /**
   * An orphan: the shopper opens an invoice, changes the cart (Medusa deletes the session:
   * its amount no longer matches), and pays the old invoice anyway. The plugin keeps the
   * payment with no order, flagged `paid_for_replaced_session`.
   */
  async orphan(email: string, payCurrency = "BTC") {
    const started = await this.checkout(email)
    const { data } = await this.store.get(`/store/carts/${started.cartId}`)
    await this.store.post(`/store/carts/${started.cartId}/line-items/${data.cart.items[0].id}`, { quantity: 2 })
    await this.sim.pay(started.coingateOrderId, { kind: "full", payCurrency })
    return started
  }

  /** The shopper comes back: completes the cart (or finds the order a callback already placed). */
  async complete(cartId: string): Promise<string> {
    const res = await this.store.post(`/store/carts/${cartId}/complete`, {}, { validateStatus: () => true })
    if (res.status !== 200 || res.data.type !== "order") {
      throw new Error(`cart ${cartId} did not complete: ${res.status} ${JSON.stringify(res.data).slice(0, 300)}`)
    }
    return res.data.order.id
  }

  async order(orderId: string) {
    const { data } = await this.admin.get(`/admin/orders/${orderId}`, { params: { fields: "id,display_id,status,payment_status" } })
    return data.order as { id: string; display_id: number; status: string; payment_status: string }
  }

  async coingateView(orderId: string) {
    const { data } = await this.admin.get(`/admin/coingate/orders/${orderId}`)
    return data
  }
}

export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await probe().catch(() => null)
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

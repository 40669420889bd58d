import type { StoreClient } from "./client"

/** What a copy keeps of a cart: the fields `POST /store/carts` accepts for an address. */
const ADDRESS_FIELDS = ["first_name", "last_name", "phone", "company", "address_1", "address_2", "city", "country_code", "province", "postal_code"] as const

export const COPY_FIELDS =
  "id,region_id,email,completed_at,*items,*shipping_address,*billing_address,*shipping_methods,*promotions"

type Address = Partial<Record<(typeof ADDRESS_FIELDS)[number], string | null>> | null | undefined

type CartToCopy = {
  id: string
  region_id?: string | null
  email?: string | null
  items?: { variant_id?: string | null; quantity: number; metadata?: Record<string, unknown> | null }[]
  shipping_address?: Address
  billing_address?: Address
  shipping_methods?: { shipping_option_id?: string | null; data?: Record<string, unknown> | null }[]
  promotions?: { code?: string | null }[]
}

const addressOf = (address: Address) => {
  if (!address) return undefined
  const out: Record<string, string> = {}
  for (const key of ADDRESS_FIELDS) if (typeof address[key] === "string" && address[key]) out[key] = address[key] as string
  return Object.keys(out).length ? out : undefined
}

/**
 * A new cart with another cart's items, email, addresses, shipping method and promotion codes: "Try again"
 * after an order-first order was canceled (its invoice expired or was canceled unpaid). That cart is an
 * order now and cannot be paid again; the copy is checked out like any cart (a new invoice, a new order).
 * Prices are today's. A promotion or shipping option that no longer applies is left out rather than
 * failing the copy (the shopper sees the copy's total on the new invoice). Returns the new cart's id.
 * Bounded: 2 reads, 1 create, at most one call per shipping method and one for the promotions.
 */
export async function copyCart(client: StoreClient, cartId: string): Promise<string> {
  const { cart } = await client<{ cart: CartToCopy }>(`/store/carts/${encodeURIComponent(cartId)}?fields=${encodeURIComponent(COPY_FIELDS)}`)
  const items = (cart.items ?? [])
    .filter((i) => typeof i.variant_id === "string" && i.variant_id)
    .map((i) => ({ variant_id: i.variant_id as string, quantity: i.quantity, ...(i.metadata ? { metadata: i.metadata } : {}) }))
  if (!items.length) throw new Error("The cart has no items to copy")
  const shipping = addressOf(cart.shipping_address)
  const billing = addressOf(cart.billing_address)
  const { cart: copy } = await client<{ cart: { id: string } }>("/store/carts", {
    method: "POST",
    body: {
      ...(cart.region_id ? { region_id: cart.region_id } : {}),
      ...(cart.email ? { email: cart.email } : {}),
      items,
      ...(shipping ? { shipping_address: shipping } : {}),
      ...(billing ? { billing_address: billing } : {}),
    },
  })
  const codes = (cart.promotions ?? []).map((p) => p.code).filter((c): c is string => typeof c === "string" && !!c)
  if (codes.length) {
    await client(`/store/carts/${encodeURIComponent(copy.id)}/promotions`, { method: "POST", body: { promo_codes: codes } }).catch(() => undefined)
  }
  for (const method of cart.shipping_methods ?? []) {
    if (!method.shipping_option_id) continue
    const body = { option_id: method.shipping_option_id, ...(method.data && Object.keys(method.data).length ? { data: method.data } : {}) }
    await client(`/store/carts/${encodeURIComponent(copy.id)}/shipping-methods`, { method: "POST", body }).catch(() => undefined)
  }
  return copy.id
}

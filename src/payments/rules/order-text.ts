import { AsyncLocalStorage } from "node:async_hooks"

/**
 * What the shopper reads on CoinGate's invoice: the shop's name and what is bought, never an
 * internal id. Medusa gives a payment provider no cart (medusa-notes.md §1.4: data, amount,
 * currency, idempotency key), so the plugin's middleware before `POST
 * /store/payment-collections/:id/payment-sessions` reads the cart's items and the store's name
 * on the backend (nothing the storefront sends is used) and runs the request inside
 * `withOrderText`; the provider's `initiatePayment` reads `currentOrderText()`.
 */
export type OrderText = { title: string; description: string }

export type OrderTextItem = { title?: unknown; product_title?: unknown; variant_title?: unknown; quantity?: unknown }

const MAX_TITLE = 150
const MAX_DESCRIPTION = 500

/** Control characters out, whitespace collapsed, at most `max` characters (with an ellipsis). */
export function cleanText(value: unknown, max: number): string {
  const text = String(value ?? "")
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, " ")
    .replace(/\s+/g, " ")
    .trim()
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`
}

function itemName(item: OrderTextItem, withVariant: boolean): string {
  const product = cleanText(item.product_title ?? item.title, 80)
  const variant = cleanText(item.variant_title, 40)
  const name = product || cleanText(item.title, 80) || "Item"
  return withVariant && variant && variant !== name && !/^default/i.test(variant) ? `${name} (${variant})` : name
}

function quantityOf(item: OrderTextItem): number {
  const q = Number(item.quantity)
  return Number.isFinite(q) && q > 0 ? Math.floor(q) : 1
}

/** "2 × T-shirt, Mug": one entry per line item, its quantity when more than one. */
export function summarizeItems(items: OrderTextItem[], { withVariant = false, max = MAX_TITLE } = {}): string {
  const parts = items.map((item) => {
    const q = quantityOf(item)
    return q > 1 ? `${q} × ${itemName(item, withVariant)}` : itemName(item, withVariant)
  })
  return cleanText(parts.join(", "), max)
}

/**
 * Title "Acme: 2 × T-shirt, Mug"; description "Your order at Acme: 2 × T-shirt (M), 1 × Mug (3 items)".
 * Without items (a session made outside the store API): "Your order at Acme". Both at least 3
 * characters (CoinGate's minimum) and within CoinGate's limits (150 and 500).
 */
export function orderTexts(input: { storeName?: string | null; items?: OrderTextItem[] | null }): OrderText {
  const store = cleanText(input.storeName, 100) || "our shop"
  const items = (input.items ?? []).filter((i) => i && typeof i === "object")
  if (!items.length) {
    return { title: cleanText(`Your order at ${store}`, MAX_TITLE), description: cleanText(`Your order at ${store}`, MAX_DESCRIPTION) }
  }
  const count = items.reduce((n, i) => n + quantityOf(i), 0)
  const title = cleanText(`${store}: ${summarizeItems(items, { max: MAX_TITLE })}`, MAX_TITLE)
  const list = items.map((i) => `${quantityOf(i)} × ${itemName(i, true)}`).join(", ")
  const description = cleanText(`Your order at ${store}: ${list} (${count} ${count === 1 ? "item" : "items"})`, MAX_DESCRIPTION)
  return { title, description }
}

// One store per process even if this file is loaded twice (the plugin's routes and the provider
// may come from different copies of the package in a store's node_modules).
const KEY = Symbol.for("medusa-payment-coingate.order-text")
const storage: AsyncLocalStorage<OrderText> = ((globalThis as any)[KEY] ??= new AsyncLocalStorage<OrderText>())

/** Runs `fn` (the rest of the request) with the invoice text of the cart being paid. */
export function withOrderText<T>(text: OrderText, fn: () => T): T {
  return storage.run(text, fn)
}

/** The invoice text set by the middleware for this request, if any. */
export function currentOrderText(): OrderText | undefined {
  return storage.getStore()
}

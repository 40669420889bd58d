import type { BigNumberInput } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { toPriceAmount } from "../../lib/amounts"
import type { CreateOrderRequest } from "../../lib/coingate-types"
import type { ResolvedOptions } from "../../lib/options"
import type { CoinGateSessionData } from "../../lib/session-data"

export type StorefrontData = Pick<CoinGateSessionData, "success_url" | "cancel_url" | "email" | "flow">

const FLOWS = ["redirect_first", "order_first"]

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/

/**
 * Picks the fields a storefront may send when it creates a session, and checks them.
 * Return URLs are where CoinGate will send the shopper, so when the merchant configured
 * one, the storefront's must stay on the same origin (no open redirect through the shop).
 */
export function pickStorefrontData(data: Record<string, unknown> | undefined, options?: ResolvedOptions): StorefrontData {
  const picked: StorefrontData = {}
  for (const field of ["success_url", "cancel_url"] as const) {
    const value = data?.[field]
    if (value === undefined || value === null || value === "") continue
    picked[field] = checkReturnUrl(field, value, options)
  }
  const email = data?.email
  if (email !== undefined && email !== null && email !== "") {
    if (typeof email !== "string" || !EMAIL.test(email)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "CoinGate: `email` in the payment session data is not an email address.")
    }
    picked.email = email
  }
  const flow = data?.flow
  if (flow !== undefined && flow !== null && flow !== "") {
    if (typeof flow !== "string" || !FLOWS.includes(flow)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate: \`flow\` in the payment session data must be one of ${FLOWS.join(", ")}.`)
    }
    picked.flow = flow as StorefrontData["flow"]
  }
  return picked
}

function checkReturnUrl(field: "success_url" | "cancel_url", value: unknown, options?: ResolvedOptions): string {
  let url: URL
  try {
    url = new URL(String(value).replace(/\{(cart_id|session_id)\}/g, "x"))
  } catch {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate: \`${field}\` in the payment session data is not an absolute URL.`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate: \`${field}\` must be an http(s) URL.`)
  }
  const configured = field === "success_url" ? options?.successUrl : options?.cancelUrl
  if (configured) {
    const allowed = new URL(configured.replace(/\{(cart_id|session_id)\}/g, "x")).origin
    if (url.origin !== allowed) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `CoinGate: \`${field}\` must be on ${allowed}, the origin of the store's configured ${field === "success_url" ? "successUrl" : "cancelUrl"}.`
      )
    }
  }
  return String(value)
}

/**
 * The URLs CoinGate sends the shopper back to. They point at the plugin's return route,
 * which re-reads the order (the shopper's return is one more source of truth) and then
 * redirects to the storefront's URL with `{cart_id}` and `{session_id}` filled in.
 */
export function buildReturnUrls(
  options: ResolvedOptions,
  sessionId: string,
  storefront: StorefrontData
): { success_url?: string; cancel_url?: string } {
  const base = `${options.backendUrl}/coingate/return/${encodeURIComponent(sessionId)}`
  const hasSuccess = storefront.success_url ?? options.successUrl
  const hasCancel = storefront.cancel_url ?? options.cancelUrl
  return {
    ...(hasSuccess ? { success_url: `${base}?outcome=success` } : {}),
    ...(hasCancel ? { cancel_url: `${base}?outcome=cancel` } : {}),
  }
}

/**
 * The `POST /v2/orders` body for a payment session: the session id as `order_id`, the exact
 * price in the currency's precision, title and description of 3+ characters, the callback
 * URL and the session's derived token, the return URLs, the settlement currency when
 * configured and the shopper's email when given.
 */
export function buildOrderRequest(
  options: ResolvedOptions,
  input: { sessionId: string; amount: BigNumberInput; currencyCode: string; storefront: StorefrontData; callbackUrl: string; token: string }
): CreateOrderRequest {
  const { sessionId, storefront } = input
  return {
    order_id: sessionId,
    price_amount: toPriceAmount(input.amount, input.currencyCode),
    price_currency: input.currencyCode.toUpperCase(),
    title: `Order ${sessionId}`.slice(0, 150),
    description: `Payment for Medusa payment session ${sessionId}`.slice(0, 500),
    callback_url: input.callbackUrl,
    token: input.token,
    ...buildReturnUrls(options, sessionId, storefront),
    ...(options.receiveCurrency ? { receive_currency: options.receiveCurrency } : {}),
    ...(storefront.email ? { purchaser_email: storefront.email, shopper: { email: storefront.email } } : {}),
  }
}

/** The storefront URL for a return: the session's, else the configured one, with `{cart_id}` and `{session_id}` filled in. */
export function storefrontUrl(
  options: ResolvedOptions,
  outcome: "success" | "cancel",
  sessionData: Pick<StorefrontData, "success_url" | "cancel_url"> | undefined,
  ids: { sessionId: string; cartId: string | null }
): string | null {
  const template = outcome === "success" ? sessionData?.success_url ?? options.successUrl : sessionData?.cancel_url ?? options.cancelUrl
  if (!template) return null
  return template.replace(/\{cart_id\}/g, encodeURIComponent(ids.cartId ?? "")).replace(/\{session_id\}/g, encodeURIComponent(ids.sessionId))
}

import type { BigNumberInput } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { toPriceAmount } from "../shared/amounts"
import type { CreateOrderRequest } from "../coingate/types"
import type { ResolvedOptions } from "../shared/options"
import type { CoinGateSessionData } from "../payments/rules/session-data"
import { orderTexts, type OrderText } from "../payments/rules/order-text"

export type StorefrontData = Pick<CoinGateSessionData, "success_url" | "cancel_url" | "email" | "flow">

const FLOWS = ["redirect_first", "order_first"]

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/

/**
 * Picks the fields a storefront may send when it creates a session, and checks them.
 * Return URLs are where CoinGate, then the plugin's return route, send the shopper, so a
 * storefront's must be on an allowed origin (`returnUrlOrigins`): no open redirect through the shop.
 */
export function pickStorefrontData(data: Record<string, unknown> | undefined, options?: ResolvedOptions, storeCors?: string): StorefrontData {
  const picked: StorefrontData = {}
  for (const field of ["success_url", "cancel_url"] as const) {
    const value = data?.[field]
    if (value === undefined || value === null || value === "") continue
    picked[field] = checkReturnUrl(field, value, returnUrlOrigins(options, storeCors))
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

/** The store's `projectConfig.http.storeCors`, from the `configModule` in the provider's cradle (unset in unit tests). */
export function storeCorsOf(cradle: Record<string, unknown>): string | undefined {
  const storeCors = (cradle.configModule as { projectConfig?: { http?: { storeCors?: unknown } } } | undefined)?.projectConfig?.http?.storeCors
  return typeof storeCors === "string" ? storeCors : undefined
}

export type ReturnUrlOrigins = { origins: string[]; from: "options" | "storeCors" | "none" }

const originOf = (url: string): string | null => {
  try {
    const parsed = new URL(url.replace(/\{(cart_id|session_id)\}/g, "x"))
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : null
  } catch {
    return null
  }
}

/**
 * The origins a storefront's `success_url`/`cancel_url` may be on: those of the configured
 * `successUrl`/`cancelUrl` (either one allows both fields), else the store's `storeCors` origins
 * (Medusa's http config, comma-separated; its `/regex/` and `*` entries name no origin and are
 * skipped), else none.
 */
export function returnUrlOrigins(options?: Pick<ResolvedOptions, "successUrl" | "cancelUrl">, storeCors?: string): ReturnUrlOrigins {
  const configured = [options?.successUrl, options?.cancelUrl].filter((u): u is string => !!u).map(originOf)
  if (configured.length) return { origins: configured.filter((o): o is string => !!o), from: "options" }
  const cors = String(storeCors ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => /^https?:\/\//i.test(entry))
    .map(originOf)
    .filter((o): o is string => !!o)
  return cors.length ? { origins: [...new Set(cors)], from: "storeCors" } : { origins: [], from: "none" }
}

function checkReturnUrl(field: "success_url" | "cancel_url", value: unknown, allowed: ReturnUrlOrigins): string {
  let url: URL
  try {
    url = new URL(String(value).replace(/\{(cart_id|session_id)\}/g, "x"))
  } catch {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate: \`${field}\` in the payment session data is not an absolute URL.`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate: \`${field}\` must be an http(s) URL.`)
  }
  if (!allowed.origins.includes(url.origin)) {
    const where =
      allowed.from === "options"
        ? `on ${allowed.origins.join(" or ")}, the origin of the store's configured successUrl/cancelUrl`
        : allowed.from === "storeCors"
          ? `on one of the store's storeCors origins (${allowed.origins.join(", ")}); configure the provider's successUrl/cancelUrl to allow another`
          : "on an allowed origin, and none is configured: set the provider's successUrl/cancelUrl options (or the store's http.storeCors) to your storefront's URL"
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `CoinGate: \`${field}\` must be ${where}.`)
  }
  return String(value)
}

/**
 * The URLs CoinGate sends the shopper back to. They point at the plugin's return route,
 * which re-reads the order (the shopper's return is one more source of truth) and then
 * redirects to the storefront's URL with `{cart_id}` and `{session_id}` filled in. They carry
 * the session's return token (src/coingate/return-token.ts): without it the return route fills
 * in no cart id, since the session id alone is no proof of being that checkout.
 */
export function buildReturnUrls(
  options: ResolvedOptions,
  sessionId: string,
  storefront: StorefrontData,
  returnToken?: string
): { success_url?: string; cancel_url?: string } {
  const base = `${options.backendUrl}/coingate/return/${encodeURIComponent(sessionId)}`
  const token = returnToken ? `&return_token=${encodeURIComponent(returnToken)}` : ""
  const hasSuccess = storefront.success_url ?? options.successUrl
  const hasCancel = storefront.cancel_url ?? options.cancelUrl
  return {
    ...(hasSuccess ? { success_url: `${base}?outcome=success${token}` } : {}),
    ...(hasCancel ? { cancel_url: `${base}?outcome=cancel${token}` } : {}),
  }
}

/**
 * The `POST /v2/orders` body for a payment session: the session id as `order_id` (callbacks and
 * returns find the session by it), the exact price in the currency's precision, the title and
 * description the shopper reads (the shop and what is bought, src/payments/rules/order-text.ts; never
 * an internal id), the callback
 * URL and the session's derived token, the return URLs (with the return token), the settlement currency when
 * configured and the shopper's email when given.
 */
export function buildOrderRequest(
  options: ResolvedOptions,
  input: { sessionId: string; amount: BigNumberInput; currencyCode: string; storefront: StorefrontData; callbackUrl: string; token: string; returnToken?: string; text?: OrderText }
): CreateOrderRequest {
  const { sessionId, storefront } = input
  const text = input.text ?? orderTexts({ storeName: options.storeName })
  return {
    order_id: sessionId,
    price_amount: toPriceAmount(input.amount, input.currencyCode),
    price_currency: input.currencyCode.toUpperCase(),
    title: text.title,
    description: text.description,
    callback_url: input.callbackUrl,
    token: input.token,
    ...buildReturnUrls(options, sessionId, storefront, input.returnToken),
    ...(options.receiveCurrency ? { receive_currency: options.receiveCurrency } : {}),
    ...(storefront.email ? { purchaser_email: storefront.email, shopper: { email: storefront.email } } : {}),
  }
}

/**
 * The storefront URL for a return: the session's, else the configured one, with `{cart_id}` and
 * `{session_id}` filled in. A session's URL off the allowed origins (stored before they were
 * checked) is ignored, so the return route never redirects off the store.
 */
export function storefrontUrl(
  options: ResolvedOptions,
  outcome: "success" | "cancel",
  sessionData: Pick<StorefrontData, "success_url" | "cancel_url"> | undefined,
  ids: { sessionId: string; cartId: string | null },
  storeCors?: string
): string | null {
  const fromSession = outcome === "success" ? sessionData?.success_url : sessionData?.cancel_url
  const allowed = typeof fromSession === "string" && returnUrlOrigins(options, storeCors).origins.includes(originOf(fromSession) ?? "")
  const template = (allowed ? fromSession : null) ?? (outcome === "success" ? options.successUrl : options.cancelUrl)
  if (!template) return null
  return template.replace(/\{cart_id\}/g, encodeURIComponent(ids.cartId ?? "")).replace(/\{session_id\}/g, encodeURIComponent(ids.sessionId))
}

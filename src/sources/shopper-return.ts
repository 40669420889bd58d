import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { loadPaymentState } from "../payments/payment-state"
import { coingateGateway } from "../gateway/index"
import { syncFacts } from "./public-answer"
import { findTarget, syncSession } from "./sync-session"

/** Where the shopper goes: the storefront's page, a plain page when none is configured, or 404 for an unknown session. */
export type ReturnAnswer = { kind: "unknown" } | { kind: "redirect"; url: string } | { kind: "page"; outcome: "success" | "cancel" }

/**
 * The shopper's return from CoinGate (`success_url` / `cancel_url` of the invoice), one more source of truth:
 * the order is re-read from CoinGate and applied (a paid cart becomes an order even if the callback has not
 * arrived), then the shopper goes on to the storefront's page. Nothing in the query string is trusted: the
 * cart id goes into the storefront's URL only when `returnToken` is the session's return token (the URL the
 * plugin gave CoinGate has it; the session id alone is printed on the invoice).
 */
export async function shopperReturn(container: MedusaContainer, sessionId: string, outcome: "success" | "cancel", returnToken: unknown): Promise<ReturnAnswer> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const target = await findTarget(container, sessionId).catch(() => null)
  if (!target) return { kind: "unknown" }
  const gateway = coingateGateway(container, target.providerId)
  const proven = gateway.isReturnTokenFor(sessionId, returnToken)
  let cartId: string | null = null
  try {
    // Anyone can send this: syncSession answers from a fresh record and keeps to the public request budget.
    const result = await syncSession(container, sessionId, "return")
    cartId = result ? syncFacts(result).cartId : null
  } catch (e: any) {
    // The shopper still goes back to the store; the callback or reconciliation will catch up.
    logger.warn(`CoinGate return for ${sessionId} could not re-read the order now: ${e?.message ?? e}`)
  }
  if (!cartId && proven) {
    // CoinGate could not be read: the storefront still needs to know which cart this was.
    cartId = (await loadPaymentState(container, sessionId).catch(() => null))?.cartId ?? null
  }
  // Only ever a URL on an allowed origin (the configured return URLs', else storeCors'): no open redirect,
  // even for a session whose URLs were stored before they were checked. The cart id only with the token.
  const url = gateway.storefrontReturnUrl(outcome, target.sessionData, { sessionId, cartId: proven ? cartId : null })
  return url ? { kind: "redirect", url } : { kind: "page", outcome }
}

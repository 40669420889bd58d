import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { loadPaymentState } from "../../../../payments/payment-state"
import { coingateGateway } from "../../../../gateway/index"
import { syncFacts } from "../../../../sources/public-answer"
import { findTarget, syncSession } from "../../../../sources/sync-session"

/**
 * Where CoinGate sends the shopper back (`success_url` / `cancel_url` of the invoice).
 * The return is one more source of truth: the order is re-read from CoinGate and applied
 * (a paid cart becomes an order even if the callback has not arrived), then the shopper
 * goes on to the storefront's page. Nothing in the query string is trusted: `{cart_id}` in the
 * storefront's URL is filled in only when the request carries the session's return token (the URL
 * the plugin gave CoinGate has it; the session id alone is printed on the invoice), else left empty.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const sessionId = req.params.session_id
  const outcome = req.query.outcome === "cancel" ? "cancel" : "success"
  const target = await findTarget(req.scope, sessionId).catch(() => null)
  if (!target) {
    res.status(404).type("text/plain").send("Unknown payment.")
    return
  }
  const gateway = coingateGateway(req.scope, target.providerId)
  const proven = gateway.isReturnTokenFor(sessionId, req.query.return_token)
  let cartId: string | null = null
  try {
    // Anyone can send this: syncSession answers from a fresh record and keeps to the public request budget.
    const result = await syncSession(req.scope, sessionId, "return")
    cartId = result ? syncFacts(result).cartId : null
  } catch (e: any) {
    // The shopper still goes back to the store; the callback or reconciliation will catch up.
    logger.warn(`CoinGate return for ${sessionId} could not re-read the order now: ${e?.message ?? e}`)
  }
  if (!cartId && proven) {
    // CoinGate could not be read: the storefront still needs to know which cart this was.
    cartId = (await loadPaymentState(req.scope, sessionId).catch(() => null))?.cartId ?? null
  }
  // Only ever a URL on an allowed origin (the configured return URLs', else storeCors'): no open redirect,
  // even for a session whose URLs were stored before they were checked. The cart id only with the token.
  const url = gateway.storefrontReturnUrl(outcome, target.sessionData, { sessionId, cartId: proven ? cartId : null })
  if (url) {
    res.redirect(303, url)
    return
  }
  res
    .status(200)
    .type("text/html")
    .send(`<!doctype html><meta charset="utf-8"><title>Payment</title><p>${outcome === "success" ? "Thank you. Your payment is being processed." : "The payment was canceled."} You can close this page.</p>`)
}

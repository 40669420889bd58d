import { MedusaError } from "@medusajs/framework/utils"
import { CoinGateBudgetError } from "../../coingate/client"

/**
 * The one place that says what a failed money-moving request (a refund, a send request) means for the
 * money (docs/refunds.md "Lost answers", docs/security.md). Only an answer that proves CoinGate made
 * nothing lets the plugin say "nothing was refunded"; anything else may have reached CoinGate and been
 * carried out, so the outcome is unknown until CoinGate is read.
 *
 * - not_made: the plugin's own request budget refused it (it never left the process), a 429 (CoinGate's
 *   rate limit answers before doing anything), or a 4xx carrying CoinGate's JSON error body (a refusal:
 *   "Refund is not valid", "Send request is not valid", "not found").
 * - unknown: a 5xx (CoinGate's or a proxy's), a timeout, a reset or refused-after-sending connection,
 *   an answer that cannot be parsed or is not what was asked for, a 4xx without CoinGate's body (a
 *   proxy page), or a 422 saying the send request's external_id is "taken" (it proves one exists).
 */
export type RequestOutcome = "not_made" | "unknown"

/** A 422 naming the external_id as taken: a send request with that id exists at CoinGate. */
export function isExternalIdTaken(e: any): boolean {
  return e?.status === 422 && (e?.errors ?? []).some((m: unknown) => /external id.*taken/i.test(String(m)))
}

export function classifyRequestFailure(e: any): RequestOutcome {
  if (e instanceof CoinGateBudgetError) return "not_made"
  const status = typeof e?.status === "number" ? e.status : undefined
  if (status === 429) return "not_made"
  if (isExternalIdTaken(e)) return "unknown"
  // CoinGate's own error body has a reason (OrderIsNotValid, RefundIsNotValid, ...); a proxy's page has none.
  const coingateBody = typeof e?.reason === "string" && e.reason !== "" && e.reason !== "UnexpectedResponse"
  if (status !== undefined && status >= 400 && status < 500 && coingateBody) return "not_made"
  return "unknown"
}

/**
 * CoinGate refused, failed or did not answer a refund or payout. `outcome` (above):
 * not_made when the answer proves nothing was made; unknown when it may have been (the intent stays
 * reserved and is resolved by reading CoinGate). `transient`: the same request may succeed later.
 */
export class CoinGateRefundError extends MedusaError {
  readonly outcome: RequestOutcome
  readonly transient: boolean

  constructor(type: string, message: string, flags: { outcome: RequestOutcome; transient: boolean }) {
    super(type, message)
    this.outcome = flags.outcome
    this.transient = flags.transient
  }

  /** Kept for older callers: no clear answer came. */
  get unanswered(): boolean {
    return this.outcome === "unknown"
  }
}

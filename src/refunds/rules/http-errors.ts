import type { MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { CoinGateApiError } from "../../coingate/client"
import { CoinGateRefundError } from "./outcome"

/**
 * Answers an admin refund route's error with a status the admin can act on: CoinGate's and Medusa's
 * validation messages as 400, an unknown order as 404, a repeated refund as 409, CoinGate unreachable as 503. Messages never
 * carry a token (CoinGate errors are built without request bodies).
 */
export function sendRefundError(res: MedusaResponse, e: any) {
  const message = String(e?.message ?? e)
  const type = e?.type ?? e?.code
  if (type === MedusaError.Types.NOT_FOUND) return res.status(404).json({ type, message })
  // The same refund already made or being made: nothing was moved twice.
  if (type === MedusaError.Types.CONFLICT) return res.status(409).json({ type, message })
  if (type === MedusaError.Types.INVALID_DATA || type === MedusaError.Types.NOT_ALLOWED || type === MedusaError.Types.INVALID_ARGUMENT) {
    return res.status(400).json({ type, message })
  }
  // CoinGate may have made it and its answer was lost: the intent is unknown and reserved (never "failed").
  if (e instanceof CoinGateRefundError && e.outcome === "unknown") return res.status(502).json({ type: "unknown_outcome", message })
  // CoinGate unreachable, 5xx or 429, or the plugin's request budget spent: the same request may work later.
  if ((e instanceof CoinGateApiError || e instanceof CoinGateRefundError) && e.transient) {
    return res.status(503).json({ type: "unavailable", message })
  }
  return res.status(500).json({ type: type ?? "unknown_error", message })
}

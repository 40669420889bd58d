import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { syncSession } from "../../../../../../sources/sync-session"
import { coingateSessionsOfOrder, orderView } from "../../../../../../console/admin-views"
import { requireId } from "../../../params"

/**
 * `POST /admin/coingate/orders/:order_id/refresh`: re-reads each CoinGate order of the
 * Medusa order from CoinGate's API and applies it through the same function as
 * callbacks, then answers the same view as GET plus what each refresh did. A CoinGate
 * order that cannot be read now (CoinGate down) is reported in `refreshed[].error`;
 * the others are still applied.
 */
export async function POST(req: AuthenticatedMedusaRequest, res: MedusaResponse) {
  const orderId = requireId(req.params.order_id, "order_id")
  const logger = req.scope.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const sessions = await coingateSessionsOfOrder(req.scope, orderId)
  const refreshed: { payment_session_id: string; ok: boolean; status?: string; error?: string }[] = []
  for (const session of sessions) {
    try {
      const outcome = await syncSession(req.scope, session.id, "admin")
      if (!outcome) {
        refreshed.push({ payment_session_id: session.id, ok: false, error: "This payment session has no CoinGate order yet." })
      } else {
        const status = "fromRecord" in outcome ? outcome.fromRecord.status : outcome.coingateStatus
        refreshed.push({ payment_session_id: session.id, ok: true, status })
      }
    } catch (e: any) {
      const error = e?.message ?? String(e)
      logger.warn(`CoinGate: refreshing payment session ${session.id} of order ${orderId} failed: ${error}`)
      refreshed.push({ payment_session_id: session.id, ok: false, error })
    }
  }
  res.json({ ...(await orderView(req.scope, orderId)), refreshed })
}

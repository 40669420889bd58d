import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { AdminRefreshedPayment, coingateSessionsOfOrder } from "../console/admin-views"
import { syncSession } from "./sync-session"

export type Refreshed = AdminRefreshedPayment

/**
 * The admin's refresh of a Medusa order: re-reads each of its CoinGate orders from CoinGate's API and applies
 * it through the same path as callbacks. A CoinGate order that cannot be read now (CoinGate down) is reported
 * in its `error`; the others are still applied.
 */
export async function refreshOrderPayments(container: MedusaContainer, orderId: string): Promise<Refreshed[]> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const sessions = await coingateSessionsOfOrder(container, orderId)
  const refreshed: Refreshed[] = []
  for (const session of sessions) {
    try {
      const outcome = await syncSession(container, session.id, "admin")
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
  return refreshed
}

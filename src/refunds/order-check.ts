import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { CoinGateOrder } from "../coingate/types"
import type { CoinGateRefund } from "../coingate/refund-types"
import { isRefunded } from "../payments/rules/status-policy"
import type { Attention } from "../shared/attention"
import { refundMismatch } from "./rules/mismatch"
import { shouldMoveTo } from "./rules/status"
import { applyRemoteRefund, listRefundRecords } from "./records"

/**
 * Called by the state applier with the CoinGate order it just read: refunds the order lists that
 * Medusa made get their status from it (a lost refund callback), and refunds Medusa did not make are
 * flagged (`refund_outside_medusa`). Never throws.
 */
export async function checkCoinGateOrderRefunds(container: MedusaContainer, order: CoinGateOrder): Promise<Attention<"refund_outside_medusa"> | null> {
  const listed = Array.isArray(order.refunds) ? (order.refunds as CoinGateRefund[]) : []
  if (listed.length === 0 && !isRefunded(order.status)) return null
  try {
    const records = await listRefundRecords(container, { coingate_order_id: String(order.id), kind: "refund" })
    for (const remote of listed) {
      const record = records.find((r) => r.coingate_id === String(remote?.id))
      if (record && remote?.status && shouldMoveTo("refund", record.status, String(remote.status))) {
        await applyRemoteRefund(container, record.id, remote, "order")
      }
    }
    return refundMismatch(
      { id: order.id, status: order.status, price_currency: order.price_currency, refunds: order.refunds },
      records.map((r) => r.coingate_id)
    )
  } catch (e: any) {
    container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate order ${order.id}: refunds could not be compared: ${e?.message ?? e}`)
    return null
  }
}

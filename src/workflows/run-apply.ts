import type { MedusaContainer } from "@medusajs/framework/types"
import { applyCoinGateOrderWorkflow, ApplyInput, ApplyOutcome } from "./apply-coingate-order"
import { noticeNewAttention } from "../payments/attention-notice"

export type { ApplyInput, ApplyOutcome } from "./apply-coingate-order"

/**
 * Applies a CoinGate order's state to Medusa: runs `applyCoinGateOrderWorkflow` (src/workflows) with an
 * order just read from CoinGate's API. The order's id is checked first: it is the lock key and the
 * record's key. A new attention flag is announced in the admin's notification feed once the run
 * succeeded (a failed run is compensated and retried: its flag was never kept), without waiting for it.
 */
export async function applyCoinGateOrder(container: MedusaContainer, input: ApplyInput): Promise<ApplyOutcome> {
  if (!Number.isSafeInteger(input.order?.id) || input.order.id <= 0) {
    throw new Error(`CoinGate: an order without a valid id was not applied to payment session ${input.sessionId}.`)
  }
  const { result } = await applyCoinGateOrderWorkflow(container).run({ input })
  noticeNewAttention(container, result.previousAttention, result.record)
  return result
}

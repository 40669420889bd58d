import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ApplyInput } from "../../payments/apply-plan"
import { LoadedState, loadPaymentState } from "../../payments/payment-state"
import { CoinGatePaymentRecord, findRecord } from "../../payments/records"

export type LoadedCoinGateState = { existing: CoinGatePaymentRecord | null; before: LoadedState | null }

/**
 * Reads, under the order's lock, the plugin's record of the CoinGate order and what Medusa has for its
 * payment session. Read-only: nothing to undo. An order recorded for another session is refused (a
 * CoinGate answer naming another order must never overwrite that order's record).
 */
export const loadCoinGateStateStep = createStep("load-coingate-state", async (input: ApplyInput, { container }) => {
  const existing = await findRecord(container, { coingateOrderId: input.order.id })
  if (existing && existing.payment_session_id !== input.sessionId) {
    throw new Error(`CoinGate order ${input.order.id} is recorded for payment session ${existing.payment_session_id}, not ${input.sessionId}: nothing was applied.`)
  }
  const before = await loadPaymentState(container, input.sessionId)
  return new StepResponse<LoadedCoinGateState>({ existing, before })
})

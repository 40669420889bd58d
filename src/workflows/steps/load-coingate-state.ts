import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { ApplyInput } from "../../payments/apply-plan"
import { LoadedState, loadPaymentState } from "../../payments/payment-state"
import { CoinGatePaymentRecord, findRecord, heldSnapshot } from "../../payments/records"
import { isNewerSnapshot, TimedOrder, unknownWindow } from "../../payments/rules/snapshot-order"

export type LoadedCoinGateState = {
  existing: CoinGatePaymentRecord | null
  before: LoadedState | null
  /**
   * The newest CoinGate truth: the order given, unless the record already holds a newer snapshot (the given
   * one was read before it: a return's read that lost the race to a callback, a record's snapshot applied
   * again after a callback moved it on). Medusa is brought to this one, and the record keeps it.
   */
  current: TimedOrder
}

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
  const given: TimedOrder = { order: input.order, read: input.read ?? unknownWindow() }
  const held = heldSnapshot(existing)
  const current = !held || isNewerSnapshot({ status: given.order.status, read: given.read }, { status: held.order.status, read: held.read }) ? given : held
  return new StepResponse<LoadedCoinGateState>({ existing, before, current })
})

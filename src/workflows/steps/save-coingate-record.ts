import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { AppliedState, ApplyInput } from "../../payments/apply-plan"
import type { CoinGatePaymentRecord } from "../../payments/records"
import { restoreAttention, saveRecord } from "../../payments/record-writes"
import type { LoadedCoinGateState } from "./load-coingate-state"

/**
 * Creates or updates the plugin's record of the CoinGate order (status history, snapshot, Medusa state,
 * flags, next check), ordered (src/payments/record-writes.ts): an older snapshot never replaces a newer one.
 * Compensation: the flag as it was, so that the retry of a failed run announces it again. CoinGate's state
 * stays: it is what CoinGate said, and writing the older one back would take the record a step back.
 */
export const saveCoinGateRecordStep = createStep(
  "save-coingate-record",
  async ({ input, loaded, applied }: { input: ApplyInput; loaded: LoadedCoinGateState; applied: AppliedState }, { container }) => {
    const record = await saveRecord(container, {
      existing: loaded.existing,
      order: input.order,
      read: input.read,
      sessionId: input.sessionId,
      providerId: input.providerId,
      cartId: applied.cartId,
      orderId: applied.orderId,
      medusaState: applied.medusaState,
      attention: applied.attention,
      source: input.source,
      now: new Date(),
      unfinished: !applied.done,
    })
    const previous = loaded.existing && { attention: loaded.existing.attention, attention_note: loaded.existing.attention_note }
    return new StepResponse<CoinGatePaymentRecord, { saved: CoinGatePaymentRecord; previous: typeof previous }>(record, { saved: record, previous })
  },
  async (undo, { container }) => {
    if (!undo) return
    await restoreAttention(container, undo.saved, undo.previous)
  }
)

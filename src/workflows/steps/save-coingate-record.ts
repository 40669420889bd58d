import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { AppliedState, ApplyInput } from "../../payments/apply-plan"
import { CoinGatePaymentRecord, recordsService, saveRecord } from "../../payments/records"
import type { LoadedCoinGateState } from "./load-coingate-state"

/**
 * Creates or updates the plugin's record of the CoinGate order (status history, snapshot, Medusa state,
 * flags, next check). Compensation: the record as it was (deleted when this step created it), so a
 * failed workflow leaves the record for the next attempt to write again.
 */
export const saveCoinGateRecordStep = createStep(
  "save-coingate-record",
  async ({ input, loaded, applied }: { input: ApplyInput; loaded: LoadedCoinGateState; applied: AppliedState }, { container }) => {
    const record = await saveRecord(container, {
      existing: loaded.existing,
      order: input.order,
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
    return new StepResponse<CoinGatePaymentRecord, { previous: CoinGatePaymentRecord | null; id: string }>(record, { previous: loaded.existing, id: record.id })
  },
  async (undo, { container }) => {
    if (!undo) return
    const service = recordsService(container) as any
    if (!undo.previous) {
      await service.deleteCoinGatePayments(undo.id)
      return
    }
    const { created_at: _c, updated_at: _u, deleted_at: _d, ...fields } = undo.previous as CoinGatePaymentRecord & { updated_at?: unknown; deleted_at?: unknown }
    await service.updateCoinGatePayments(fields)
  }
)

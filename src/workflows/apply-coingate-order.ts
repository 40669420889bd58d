import { createHook, createWorkflow, transform, WorkflowData, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import type { AppliedState, ApplyInput } from "../payments/apply-plan"
import type { CoinGatePaymentRecord } from "../payments/records"
import { applyCoinGatePlanStep } from "./steps/apply-coingate-plan"
import { checkCoinGateRefundsStep } from "./steps/check-coingate-refunds"
import { loadCoinGateStateStep } from "./steps/load-coingate-state"
import { saveCoinGateRecordStep } from "./steps/save-coingate-record"

export type { ApplyInput } from "../payments/apply-plan"

export type ApplyOutcome = {
  coingateStatus: ApplyInput["order"]["status"]
  medusaState: AppliedState["medusaState"]
  cartId: string | null
  orderId: string | null
  /** False when the state could not be fully applied (retry later: CoinGate's retry, reconciliation). */
  done: boolean
  attention: string | null
  /** The record's flag before this run (null: none, or no record yet): a changed one is a new flag. */
  previousAttention: string | null
  record: CoinGatePaymentRecord
}

export const APPLY_COINGATE_ORDER_WORKFLOW = "apply-coingate-order"

/**
 * THE way a CoinGate order's state reaches Medusa. Every source of CoinGate truth (callbacks, the
 * shopper's return, the storefront's status check and cart completion, reconciliation, an admin
 * refresh) reads the order from CoinGate's API and runs this workflow with it.
 *
 * Serialized per CoinGate order (Medusa's locking module: in memory in one process, Redis or PostgreSQL
 * across several), idempotent, and safe against reordering: the decision looks at the newest order known
 * (the one given, or the record's own when that was read later: src/payments/rules/snapshot-order.ts) and at
 * what Medusa has. The record is written by compare-and-set (src/payments/record-writes.ts).
 *
 * Hook `coingateOrderApplied` runs after the state is applied and recorded, with `{ outcome }` (see
 * docs/workflows.md): send an email, sync an ERP. A hook that throws fails the run (the callback answers
 * 503 and CoinGate retries; the state is applied again, idempotently).
 */
export const applyCoinGateOrderWorkflow = createWorkflow(APPLY_COINGATE_ORDER_WORKFLOW, (input: WorkflowData<ApplyInput>) => {
  const lockKey = transform({ input }, ({ input }) => `coingate:order:${input.order.id}`)
  acquireLockStep({ key: lockKey, timeout: 30, ttl: 120 })
  const loaded = loadCoinGateStateStep(input)
  const planned = applyCoinGatePlanStep({ input, loaded })
  const applied = checkCoinGateRefundsStep({ loaded, applied: planned })
  const record = saveCoinGateRecordStep({ input, loaded, applied })
  releaseLockStep({ key: lockKey })
  const outcome = transform({ input, loaded, applied, record }, ({ input, loaded, applied, record }): ApplyOutcome => ({
    // The record's status: the newest CoinGate truth, which an older order handed in does not replace.
    coingateStatus: record.status,
    medusaState: applied.medusaState,
    cartId: record.cart_id,
    orderId: record.order_id,
    done: applied.done,
    attention: record.attention,
    previousAttention: loaded.existing?.attention ?? null,
    record,
  }))
  const coingateOrderApplied = createHook("coingateOrderApplied", { outcome })
  return new WorkflowResponse(outcome, { hooks: [coingateOrderApplied] })
})

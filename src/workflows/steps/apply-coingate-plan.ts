import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AppliedState, ApplyInput, applyToMedusa } from "../../payments/apply-plan"
import { loadPaymentState } from "../../payments/payment-state"
import { coingateGateway } from "../../gateway/index"
import type { LoadedCoinGateState } from "./load-coingate-state"

/**
 * Decides what the order means for Medusa (`planFor`) and carries it out with Medusa's own workflows
 * (complete the cart, capture, cancel the session or the order). No compensation: those are Medusa's
 * workflows, which undo themselves when they fail, and a placed order or a capture is not taken back
 * because a later step failed (the next callback or reconciliation applies the same order again, and
 * the plan is idempotent). The order applied is the newest one known (`loaded.current`): an older
 * copy handed in never drives Medusa back.
 */
export const applyCoinGatePlanStep = createStep(
  "apply-coingate-plan",
  async ({ input, loaded }: { input: ApplyInput; loaded: LoadedCoinGateState }, { container }) => {
    const { order, read } = loaded.current
    // The order was just read from CoinGate: the provider's authorization during the cart's completion
    // uses it instead of reading it again (one CoinGate read per callback), for as long as it is recent.
    coingateGateway(container, input.providerId).rememberVerifiedOrder(order, read.requestedAt)
    const applied = await applyToMedusa(container, { ...input, order, read }, loaded.before, loaded.existing, () => loadPaymentState(container, input.sessionId))
    return new StepResponse<AppliedState>(applied)
  }
)

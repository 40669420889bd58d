import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { AppliedState } from "../../payments/apply-plan"
import { checkCoinGateOrderRefunds } from "../../refunds/order-check"
import type { LoadedCoinGateState } from "./load-coingate-state"

/**
 * The order's refunds (refunded / partially_refunded, or any listed), once the plan was carried out on a
 * session that matches it: refunds Medusa made get their status from the order (a lost refund callback),
 * others are flagged `refund_outside_medusa` unless the plan already flagged something. Its own step so
 * that payments/ (the plan) and refunds/ (the refund records) do not import each other. No compensation:
 * a refund status taken from CoinGate is CoinGate's truth, and `checkCoinGateOrderRefunds` never throws.
 */
export const checkCoinGateRefundsStep = createStep(
  "check-coingate-refunds",
  async ({ loaded, applied }: { loaded: LoadedCoinGateState; applied: AppliedState }, { container }) => {
    if (!applied.compareRefunds) return new StepResponse<AppliedState>(applied)
    const { order } = loaded.current
    const refundCheck = await checkCoinGateOrderRefunds(container, order)
    if (refundCheck && !applied.attention) {
      container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate order ${order.id}: ${refundCheck.note}`)
    }
    return new StepResponse<AppliedState>({ ...applied, attention: applied.attention ?? refundCheck })
  }
)

/** `medusa-payment-coingate/workflows`: the workflow that applies a CoinGate order, and its hook (docs/workflows.md). */
export { applyCoinGateOrderWorkflow, APPLY_COINGATE_ORDER_WORKFLOW } from "./apply-coingate-order"
export type { ApplyInput, ApplyOutcome } from "./apply-coingate-order"

import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { cancelOrderWorkflow, completeCartWorkflow, processPaymentWorkflow } from "@medusajs/medusa/core-flows"
import type { CoinGateOrder } from "../coingate/types"
import { checkOrderMatchesSession } from "./rules/order-checks"
import { describeState, isPlanDone, MedusaState, Plan, PlanAttention, planFor } from "./rules/plan"
import { isPaid } from "./rules/status-policy"
import { LoadedState } from "./payment-state"
import { CoinGatePaymentRecord, TruthSource } from "./records"
import type { ReadWindow } from "./rules/snapshot-order"
import type { Attention } from "../shared/attention"

/**
 * Applying one CoinGate order to Medusa, inside the workflow's lock (src/workflows/apply-coingate-order.ts):
 * check the order against its session, decide (`planFor`), carry the plan out with Medusa's workflows,
 * read Medusa's state again. The record is saved by the next step.
 */

export type ApplyInput = {
  /** The Medusa payment session the order pays (CoinGate's `order_id`). */
  sessionId: string
  /** The order as just read from CoinGate's API: never a posted callback body. */
  order: CoinGateOrder
  /**
   * When `order` was read (src/payments/rules/snapshot-order.ts). Every path of the plugin gives it; without it
   * the order is taken as read at an unknown time, so it can never take the record a step back.
   */
  read?: ReadWindow
  providerId: string
  source: TruthSource
}

export type AppliedState = {
  medusaState: MedusaState
  cartId: string | null
  orderId: string | null
  /** False when the state could not be fully applied (retry later: CoinGate's retry, reconciliation). */
  done: boolean
  attention: Attention | null
  /**
   * The plan was carried out on a session that matches the order: the next step compares the order's
   * refunds with Medusa's (src/workflows/steps/check-coingate-refunds.ts). Not for a gone or mismatched session.
   */
  compareRefunds: boolean
}

const applied = (medusaState: MedusaState, loaded: LoadedState | null, done: boolean, attention: Attention | null = null, compareRefunds = false): AppliedState => ({
  medusaState,
  cartId: loaded?.cartId ?? null,
  orderId: loaded?.state.orderId ?? null,
  done,
  attention,
  compareRefunds,
})

/** Decides what the order means for Medusa given `before` (null: the session is gone) and carries it out. */
export async function applyToMedusa(
  container: MedusaContainer,
  input: ApplyInput,
  before: LoadedState | null,
  existing: CoinGatePaymentRecord | null,
  loadAfter: () => Promise<LoadedState | null>
): Promise<AppliedState> {
  const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
  const { order, sessionId } = input
  if (!before) {
    // The session is gone: the cart changed and a new session replaced it, but the old
    // invoice was paid anyway. Nothing in Medusa can take this payment; keep it for a person.
    if (isPaid(order.status)) {
      if (existing?.attention !== "paid_for_replaced_session") {
        // Once per invoice: CoinGate's repeated callbacks and reconciliation find it flagged already.
        logger.warn(
          `CoinGate order ${order.id} was paid (${order.price_amount} ${order.price_currency}) for payment session ${sessionId}, ` +
            "which no longer exists (the cart changed after the invoice was issued). Nothing was captured; refund or settle it by hand."
        )
      }
      return applied("orphaned", null, true, {
        reason: "paid_for_replaced_session",
        note: `Paid for payment session ${sessionId}, which had been replaced. Nothing was captured in Medusa.`,
      })
    }
    return applied("orphaned", null, true)
  }

  const mismatch = checkOrderMatchesSession(order, {
    id: before.session.id,
    amount: before.session.raw_amount ?? before.session.amount,
    currency_code: before.session.currency_code,
  })
  if (mismatch) {
    logger.warn(`CoinGate order ${order.id} does not match payment session ${sessionId} (${mismatch}); nothing was changed.`)
    return applied("mismatch", before, true, {
      reason: mismatch,
      note: `CoinGate asks ${order.price_amount} ${order.price_currency}; the session is ${before.session.amount} ${before.session.currency_code.toUpperCase()}.`,
    })
  }

  const plan = planFor(order.status, before.state, { paidAt: order.paid_at })
  try {
    await carryOut(container, plan, before, input)
  } catch (e: any) {
    logger.error(`CoinGate order ${order.id} (${order.status}) could not be applied to ${sessionId}: ${e?.message ?? e}`)
  }

  const after = (await loadAfter()) ?? before
  await rememberStatus(container, after, order)
  const done = isPlanDone(plan, after.state)
  const attention: Attention | null =
    plan.kind === "no_change" && plan.attention
      ? attentionFor(plan.attention, order)
      : plan.kind === "fail" && plan.attention
        ? attentionFor(plan.attention, order)
        : !done && plan.kind === "capture"
          ? { reason: "paid_not_captured", note: "CoinGate says paid but Medusa could not capture it yet; retrying." }
          : null
  if (attention?.reason === "paid_after_cancellation") {
    logger.warn(`CoinGate order ${order.id} was paid after its Medusa order ${after.state.orderId} was canceled: paid after cancellation.`)
  }
  return applied(describeState(after.state), after, done, attention, true)
}

function attentionFor(reason: PlanAttention, order: CoinGateOrder): Attention<PlanAttention> {
  const notes: Record<PlanAttention, string> = {
    paid_after_cancellation: `CoinGate order ${order.id} was paid after the Medusa order was canceled: paid after cancellation. Refund it or restore the order.`,
    invalid: `CoinGate marked order ${order.id} invalid (not confirmed, or held for compliance). Check it in the CoinGate dashboard.`,
    paid_then_expired: `CoinGate reports order ${order.id} ${order.status}, but it was paid at ${order.paid_at}. Nothing was captured or canceled; check it in the CoinGate dashboard.`,
  }
  return { reason, note: notes[reason] }
}

async function carryOut(container: MedusaContainer, plan: Plan, before: LoadedState, input: ApplyInput) {
  const paymentModule = container.resolve(Modules.PAYMENT)
  const { session } = before
  const setSessionStatus = (status: PaymentSessionStatus) =>
    paymentModule.updatePaymentSession({
      id: session.id,
      amount: session.raw_amount ?? session.amount,
      currency_code: session.currency_code,
      data: { ...session.data, coingate_status: input.order.status },
      status,
    })

  switch (plan.kind) {
    case "capture":
    case "place_order":
      if (plan.reopenSession) {
        // A late payment on an invoice Medusa had given up on: the checkout is still open.
        await setSessionStatus(PaymentSessionStatus.PENDING)
      }
      if (before.cartId && !before.state.orderId) {
        // Completing the cart authorizes the session through the provider, which re-reads
        // the order: `paid` places the order with a captured payment, `confirming` places
        // it awaiting payment.
        await completeCartWorkflow(container).run({ input: { id: before.cartId } })
      } else if (plan.kind === "capture") {
        await processPaymentWorkflow(container).run({
          input: { action: PaymentActions.SUCCESSFUL, data: { session_id: session.id, amount: input.order.price_amount } },
        })
      }
      return
    case "cancel":
      await setSessionStatus(PaymentSessionStatus.CANCELED)
      if (plan.cancelOrder && before.state.orderId) {
        await cancelOrderWorkflow(container).run({ input: { order_id: before.state.orderId } })
      }
      return
    case "fail":
      await setSessionStatus(PaymentSessionStatus.ERROR)
      return
    case "no_change":
      return
  }
}

/** Keeps `coingate_status` in the session data current for storefronts. */
async function rememberStatus(container: MedusaContainer, loaded: LoadedState, order: CoinGateOrder) {
  if (loaded.session.data?.coingate_status === order.status) {
    return
  }
  const paymentModule = container.resolve(Modules.PAYMENT)
  await paymentModule.updatePaymentSession({
    id: loaded.session.id,
    amount: loaded.session.raw_amount ?? loaded.session.amount,
    currency_code: loaded.session.currency_code,
    data: { ...loaded.session.data, coingate_status: order.status },
  })
}

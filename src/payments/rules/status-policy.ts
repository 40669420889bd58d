import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import type { CoinGateStatus } from "../../coingate/types"

/**
 * THE status policy: one row per CoinGate order status, holding everything the plugin
 * derives from a status. "Where is `expired` handled?" has one answer: its row here.
 * The lookups below, `plan.ts`, `schedule.ts` and `reconcile-selection.ts` only read this table;
 * none of them switches over CoinGate statuses.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** How long after its creation an expired or canceled invoice is still watched for a late payment. */
export const LATE_PAYMENT_WATCH_MS = 24 * HOUR

/**
 * What a status asks of Medusa before looking at what Medusa already has (`planFor` then
 * checks Medusa's side: a step already taken is not taken again, a capture is never undone).
 * The names are the plan kinds of `plan.ts`.
 */
export type MedusaStep = "capture" | "place_order" | "cancel" | "fail" | "no_change"

/** When reconciliation reads an order in this status again. */
export type ReadAgain = {
  everyMs: number
  /** Stop once the invoice is this old (the late-payment watch of an invoice that ended unpaid). */
  untilAgeMs?: number
}

export type StatusPolicy = {
  /** Medusa payment session status, per checkout flow (`flow: "order_first"` in the session data). */
  session: { redirectFirst: PaymentSessionStatus; orderFirst: PaymentSessionStatus }
  /**
   * The action Medusa's own `payment.webhook_received` subscriber gets. It acts on
   * SUCCESSFUL and AUTHORIZED only; the plugin's state applier carries out the rest.
   */
  webhookAction: PaymentActions
  /** The money reached the merchant at some point (refunds are tracked on their own). */
  paid: boolean
  /** CoinGate says the order was (partly) refunded. */
  refunded: boolean
  /** CoinGate will not move the order on its own any more, except a late `paid`. */
  final: boolean
  medusaStep: MedusaStep
  /** Null: nothing can change, reconciliation stops reading it. */
  readAgain: ReadAgain | null
  /** Reconciliation reads lower first: money seen but not captured, then invoices being paid, ... */
  reconcilePriority: number
  /**
   * Where the status stands in CoinGate's own order of an invoice's life (its state machine: new, pending,
   * confirming, then over unpaid or paid, then refunded). A status of a later stage never comes before one of
   * an earlier stage on a valid path, so of two reads that overlapped in time the later stage is the newer
   * (src/payments/rules/snapshot-order.ts). Statuses of one stage are alternatives (expired, canceled, invalid).
   */
  stage: number
}

/** Priority of what reconciliation reads last (also any status the table does not know). */
export const LAST_RECONCILE_PRIORITY = 4

const { PENDING, PENDING_AUTHORIZATION, CAPTURED, CANCELED, ERROR } = PaymentSessionStatus

/** Both flows alike: only an unpaid invoice differs between redirect first and order first. */
const bothFlows = (status: PaymentSessionStatus) => ({ redirectFirst: status, orderFirst: status })

/**
 * - `new`/`pending`: not paid (yet). Order first makes them `pending_authorization`, so the
 *   cart completes into an order awaiting payment before the shopper goes to CoinGate.
 *   Read every 10 minutes (an untouched invoice expires after 2 hours) or every 2 (a chosen
 *   coin expires after 20 minutes).
 * - `confirming`: seen on chain, not final: the order can be placed now, `paid` captures it.
 *   Read every minute (CoinGate advises polling confirming orders every 30-60 s).
 * - `paid`: settled; CoinGate has no separate capture, so authorized and captured at once.
 * - `invalid`: not confirmed by the network or held for compliance: an error.
 * - `expired`/`canceled`: over unpaid, but CoinGate can still turn them `paid` when funds
 *   arrive late: watched every 30 minutes for 24 hours.
 * - `refunded`/`partially_refunded`: paid, then (partly) refunded: the payment stays captured.
 * Stages (CoinGate's order): new 0, pending 1, confirming 2, invalid/expired/canceled 3 (over unpaid; a late
 * payment still makes them paid), paid 4, partially_refunded 5, refunded 6.
 */
export const STATUS_POLICY: Readonly<Record<CoinGateStatus, StatusPolicy>> = Object.freeze({
  new: {
    session: { redirectFirst: PENDING, orderFirst: PENDING_AUTHORIZATION },
    webhookAction: PaymentActions.PENDING,
    paid: false,
    refunded: false,
    final: false,
    medusaStep: "no_change",
    readAgain: { everyMs: 10 * MINUTE },
    reconcilePriority: 2,
    stage: 0,
  },
  pending: {
    session: { redirectFirst: PENDING, orderFirst: PENDING_AUTHORIZATION },
    webhookAction: PaymentActions.PENDING,
    paid: false,
    refunded: false,
    final: false,
    medusaStep: "no_change",
    readAgain: { everyMs: 2 * MINUTE },
    reconcilePriority: 1,
    stage: 1,
  },
  confirming: {
    session: bothFlows(PENDING_AUTHORIZATION),
    webhookAction: PaymentActions.PENDING_AUTHORIZATION,
    paid: false,
    refunded: false,
    final: false,
    medusaStep: "place_order",
    readAgain: { everyMs: MINUTE },
    reconcilePriority: 0,
    stage: 2,
  },
  paid: {
    session: bothFlows(CAPTURED),
    webhookAction: PaymentActions.SUCCESSFUL,
    paid: true,
    refunded: false,
    final: true,
    medusaStep: "capture",
    readAgain: null,
    reconcilePriority: 0,
    stage: 4,
  },
  invalid: {
    session: bothFlows(ERROR),
    webhookAction: PaymentActions.FAILED,
    paid: false,
    refunded: false,
    final: true,
    medusaStep: "fail",
    readAgain: null,
    reconcilePriority: LAST_RECONCILE_PRIORITY,
    stage: 3,
  },
  expired: {
    session: bothFlows(CANCELED),
    webhookAction: PaymentActions.CANCELED,
    paid: false,
    refunded: false,
    final: true,
    medusaStep: "cancel",
    readAgain: { everyMs: 30 * MINUTE, untilAgeMs: LATE_PAYMENT_WATCH_MS },
    reconcilePriority: 3,
    stage: 3,
  },
  canceled: {
    session: bothFlows(CANCELED),
    webhookAction: PaymentActions.CANCELED,
    paid: false,
    refunded: false,
    final: true,
    medusaStep: "cancel",
    readAgain: { everyMs: 30 * MINUTE, untilAgeMs: LATE_PAYMENT_WATCH_MS },
    reconcilePriority: 3,
    stage: 3,
  },
  refunded: {
    session: bothFlows(CAPTURED),
    webhookAction: PaymentActions.SUCCESSFUL,
    paid: true,
    refunded: true,
    final: true,
    medusaStep: "capture",
    readAgain: null,
    reconcilePriority: LAST_RECONCILE_PRIORITY,
    stage: 6,
  },
  partially_refunded: {
    session: bothFlows(CAPTURED),
    webhookAction: PaymentActions.SUCCESSFUL,
    paid: true,
    refunded: true,
    final: true,
    medusaStep: "capture",
    readAgain: null,
    reconcilePriority: LAST_RECONCILE_PRIORITY,
    stage: 5,
  },
})

/**
 * The row of a status, or null when it is not a CoinGate status. Callers that take any
 * string (a record's stored status) go through here: an own-property check, so a string
 * such as "constructor" is not mistaken for a row.
 */
export function policyOf(status: string | null | undefined): StatusPolicy | null {
  return typeof status === "string" && Object.prototype.hasOwnProperty.call(STATUS_POLICY, status)
    ? STATUS_POLICY[status as CoinGateStatus]
    : null
}


/**
 * What a CoinGate order status means for Medusa's payment session and webhook, read from
 * the status policy (`status-policy.ts`, where each status's row says why).
 *
 * The client rejects an order with a status CoinGate does not list, so an unknown status
 * only reaches these through a caller bypassing the types: it reads as an error, and as an
 * action Medusa's subscriber ignores.
 */
export function toSessionStatus(status: CoinGateStatus, { orderFirst = false }: { orderFirst?: boolean } = {}): PaymentSessionStatus {
  const session = policyOf(status)?.session
  if (!session) return PaymentSessionStatus.ERROR
  return orderFirst ? session.orderFirst : session.redirectFirst
}

/**
 * The webhook action Medusa's own `payment.webhook_received` subscriber acts on.
 * It only acts on `captured` (SUCCESSFUL) and `authorized`; everything else is
 * carried out by the plugin's state applier.
 */
export function toWebhookAction(status: CoinGateStatus): PaymentActions {
  return policyOf(status)?.webhookAction ?? PaymentActions.NOT_SUPPORTED
}

/** Statuses after which CoinGate will not move the order on its own, except a late `paid`. */
export function isFinal(status: CoinGateStatus): boolean {
  return policyOf(status)?.final ?? true
}

/** Paid at some point: the money reached the merchant (refunds are tracked separately). */
export function isPaid(status: CoinGateStatus | string): boolean {
  return policyOf(status)?.paid ?? false
}

/** CoinGate says the order was (partly) refunded (`refunded`, `partially_refunded`). */
export function isRefunded(status: CoinGateStatus | string): boolean {
  return policyOf(status)?.refunded ?? false
}

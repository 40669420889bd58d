import type { Attention, RefundAttentionReason } from "../../shared/attention"
import type { RefundKind } from "./request"
import {
  COINGATE_REFUND_STATUSES,
  COINGATE_SEND_REQUEST_STATUSES,
  type CoinGateRefundStatus,
  type CoinGateSendRequest,
  type CoinGateSendRequestStatus,
} from "../../coingate/refund-types"

/**
 * What each CoinGate refund or send request status means (open, sent, not sent), which status changes a
 * record takes, when a person must look, and what to do about an exchange a send request asks to confirm.
 */

export type RefundOutcome = "open" | "sent" | "not_sent"

const REFUND_OUTCOMES: Readonly<Record<CoinGateRefundStatus, RefundOutcome>> = {
  pending: "open",
  processing: "open",
  completed: "sent",
  rejected: "not_sent",
}

const PAYOUT_OUTCOMES: Readonly<Record<CoinGateSendRequestStatus, RefundOutcome>> = {
  draft: "open",
  in_progress: "open",
  processing: "open",
  completed: "sent",
  failed: "not_sent",
  expired: "not_sent",
  canceled: "not_sent",
}

/**
 * Whether a CoinGate refund or send request status is one of CoinGate's: a member of the typed list, never a
 * property of a plain object (`"constructor" in {}` is true).
 */
export function isKnownStatus(kind: RefundKind, status: unknown): status is CoinGateRefundStatus | CoinGateSendRequestStatus {
  if (typeof status !== "string") return false
  return kind === "refund" ? (COINGATE_REFUND_STATUSES as readonly string[]).includes(status) : (COINGATE_SEND_REQUEST_STATUSES as readonly string[]).includes(status)
}

/** open (CoinGate still working or waiting for someone), sent (the money left) or not_sent (final, nothing sent). */
export function outcomeOf(kind: RefundKind, status: string): RefundOutcome {
  if (!isKnownStatus(kind, status)) return "open"
  return kind === "refund" ? REFUND_OUTCOMES[status as CoinGateRefundStatus] : PAYOUT_OUTCOMES[status as CoinGateSendRequestStatus]
}

export const isFinalStatus = (kind: RefundKind, status: string) => outcomeOf(kind, status) !== "open"

/**
 * Whether to move a record from `current` to `next`. CoinGate's final statuses never change, so a final
 * status is kept against a later read that says otherwise (a stale replica, a reordered callback).
 */
export function shouldMoveTo(kind: RefundKind, current: string | null | undefined, next: string): boolean {
  if (!isKnownStatus(kind, next)) return false
  if (!current || current === next) return current !== next
  return !isFinalStatus(kind, current)
}

/** A person must look at a refund or payout that ended without sending anything. */
export function attentionForOutcome(
  kind: RefundKind,
  status: string,
  ctx: { amount: string; currencyCode: string; rejectionReason?: string | null; exchangeNote?: string | null }
): Attention<RefundAttentionReason> | null {
  if (outcomeOf(kind, status) !== "not_sent") return null
  const what = `${ctx.amount} ${ctx.currencyCode.toUpperCase()}`
  if (kind === "refund") {
    return {
      reason: "refund_rejected",
      note:
        `CoinGate rejected the refund of ${what}${ctx.rejectionReason ? `: ${ctx.rejectionReason.trim().replace(/\.+$/, "")}` : ""}. ` +
        "Medusa still counts it as refunded, but nothing was sent: refund again (another address or coin) or settle with the shopper.",
    }
  }
  const why: Record<string, string> = {
    failed: "the network rejected the transaction",
    expired: "it was not confirmed in time (an exchange within a minute, or the 2FA within 30 days)",
    canceled: ctx.exchangeNote ?? "CoinGate canceled it (compliance)",
  }
  return {
    reason: "payout_not_sent",
    note: `The payout of ${what} ended ${status}: ${why[status] ?? status}. Medusa still counts it as refunded, but nothing was sent: pay the shopper again.`,
  }
}

/** What to do about a send request's `actions_required` (an exchange to confirm within a minute). */
export function exchangeDecision(request: Pick<CoinGateSendRequest, "status" | "actions_required">, autoConfirm: boolean): "confirm" | "cancel" | null {
  const actions = request.actions_required
  if (!actions || typeof actions !== "object" || (!actions.confirm && !actions.cancel)) return null
  if (request.status !== "draft") return null
  return autoConfirm ? "confirm" : "cancel"
}

export const EXCHANGE_CANCELED_NOTE =
  "CoinGate asked to confirm a currency exchange (the coin sent differs from the ledger account's currency) and the " +
  "option autoConfirmPayoutExchange is off, so the plugin canceled it. Pay out from a ledger account in that coin, or enable the option."

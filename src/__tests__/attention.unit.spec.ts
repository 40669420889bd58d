/// <reference path="../admin/lib/globals.d.ts" />
import { attentionLabel as adminAttentionLabel } from "../admin/lib/coingate-api"
import {
  ATTENTION_LABELS,
  AttentionReason,
  attentionLabel,
  isAttentionReason,
  PAYMENT_ATTENTION_REASONS,
  PaymentAttentionReason,
  REFUND_ATTENTION_REASONS,
  RefundAttentionReason,
} from "../shared/attention"
import type { OrderMismatch } from "../payments/rules/order-checks"
import type { PlanAttention } from "../payments/rules/plan"
import type { refundMismatch } from "../refunds/rules/mismatch"
import type { attentionForOutcome } from "../refunds/rules/status"

// Compile-time: every reason the plugin's rules raise belongs to the closed set (tsc fails otherwise).
type Within<A, B> = [A] extends [B] ? true : false
type Reason<F extends (...args: any[]) => { reason: unknown } | null> = NonNullable<ReturnType<F>>["reason"]
const raisedReasonsAreClosed: [
  Within<PlanAttention, PaymentAttentionReason>,
  Within<OrderMismatch, PaymentAttentionReason>,
  Within<Reason<typeof refundMismatch>, PaymentAttentionReason>,
  Within<Reason<typeof attentionForOutcome>, RefundAttentionReason>,
] = [true, true, true, true]

describe("attention reasons", () => {
  const all: AttentionReason[] = [...PAYMENT_ATTENTION_REASONS, ...REFUND_ATTENTION_REASONS]

  it("are one closed set: payment and refund reasons do not overlap, and each has exactly one label", () => {
    expect(new Set(all).size).toBe(all.length)
    expect(Object.keys(ATTENTION_LABELS).sort()).toEqual([...all].sort())
    expect(raisedReasonsAreClosed).toEqual([true, true, true, true])
  })

  it("have labels a person can tell apart", () => {
    const labels = Object.values(ATTENTION_LABELS)
    expect(new Set(labels).size).toBe(labels.length)
    for (const label of labels) expect(label).toMatch(/^[A-Z]/)
  })

  it.each(all.map((r) => [r, ATTENTION_LABELS[r]]))("%s reads %p, in the admin too", (reason, label) => {
    expect(attentionLabel(reason)).toBe(label)
    expect(adminAttentionLabel(reason)).toBe(label)
  })

  it("shows a reason this version does not know (an older one's) as its words", () => {
    expect(isAttentionReason("something_old")).toBe(false)
    expect(isAttentionReason("constructor")).toBe(false)
    expect(attentionLabel("something_old")).toBe("something old")
    expect(adminAttentionLabel("constructor")).toBe("constructor")
  })
})

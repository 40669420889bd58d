import fc from "fast-check"
import type { RefundSimulator } from "./refunds"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { FAULT_KINDS } = require("../../simulator/faults") as { FAULT_KINDS: string[] }

/**
 * The books of issue 22's money-out property (integration-tests/http/money-out.property.spec.ts): what
 * CoinGate's answer to one request is, and what CoinGate really made for one order, read from the
 * simulator's own state (never from the plugin), with the invariants the plugin's books must keep.
 * Amounts are whole cents (the orders are in EUR).
 */

/** What happens to one money-moving CoinGate request. `*_after`: CoinGate makes it, then the answer is lost. */
export const OUTCOMES = ["ok", "4xx", "5xx_before", "5xx_after", "reset_after", "timeout_after", "429"] as const
export type Outcome = (typeof OUTCOMES)[number]

/** The money-moving CoinGate requests a fault can be aimed at. */
export const TARGETS = {
  refund: /^\/v2\/orders\/\d+\/refunds$/,
  beneficiary: /^\/v2\/beneficiaries$/,
  send_request: /^\/v2\/send_requests$/,
}
export type Target = keyof typeof TARGETS

/** Whether the simulator can lose an answer after acting (the `*_after` fault kinds of issue 22). */
export const LOSES_ANSWERS = ["502_after", "reset_after", "timeout_after"].every((k) => FAULT_KINDS.includes(k))

/**
 * The simulator fault that gives a request `outcome`, or null (ok; a 4xx is CoinGate's own refusal of the
 * form, see `refusedForm`). Without the `*_after` kinds the lost answers fall back to their "before" twins
 * (nothing made), so the spec still runs, more weakly, on a simulator that lacks them.
 */
export function faultFor(outcome: Outcome, target: Target): Record<string, unknown> | null {
  const kind = {
    ok: null,
    "4xx": null,
    "5xx_before": "503",
    "5xx_after": LOSES_ANSWERS ? "502_after" : "500",
    reset_after: LOSES_ANSWERS ? "reset_after" : "drop",
    timeout_after: LOSES_ANSWERS ? "timeout_after" : "timeout",
    "429": "429",
  }[outcome]
  return kind ? { method: "POST", path: TARGETS[target], kind, times: 1 } : null
}

/** A form CoinGate refuses with a 422 (a network the coin is not on): its 4xx outcome. */
export const refusedForm = { platform_id: 999 }

/** The tag a form's reason carries, so that each CoinGate refund or send request names the form that made it. */
export const formTag = (key: string) => `[pf:${key}]`
const TAG = /\[pf:([A-Za-z0-9_-]+)\]/

export const cents = (decimal: unknown): number => {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(decimal ?? "").trim())
  if (!m) throw new Error(`not a decimal: ${String(decimal)}`)
  const frac = (m[3] ?? "").padEnd(2, "0")
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) throw new Error(`more than 2 decimals: ${String(decimal)}`)
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(frac.slice(0, 2)))
}
export const euros = (c: number) => `${c < 0 ? "-" : ""}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, "0")}`

/** One refund or send request CoinGate made. */
export type Made = { kind: "refund" | "payout"; id: string; amount: number; status: string; formKey: string | null }

/** CoinGate objects that existed before a case: the case's own are the others (the simulator is never reset). */
export type Baseline = { refunds: Set<string>; sendRequests: Set<string> }
export const baseline = (sim: RefundSimulator): Baseline => ({
  refunds: new Set(sim.listRefunds().map((r: any) => String(r.id))),
  sendRequests: new Set(sim.listSendRequests().map((r: any) => String(r.id))),
})

/** Money CoinGate did not send after all (rejected refund, failed or canceled payout) is not out. */
const NOT_OUT = new Set(["rejected", "failed", "canceled", "expired"])

/** What CoinGate made during the case for `coingateOrderId`: its refunds, and every send request made since the baseline. */
export function madeAtCoinGate(sim: RefundSimulator, coingateOrderId: string, before: Baseline): Made[] {
  const keyOf = (o: any) => TAG.exec(JSON.stringify(o))?.[1] ?? null
  const refunds = sim
    .listRefunds()
    .filter((r: any) => String(r.order_id) === coingateOrderId && !before.refunds.has(String(r.id)))
    .map((r: any): Made => ({ kind: "refund", id: String(r.id), amount: cents(r.request_amount), status: r.status, formKey: keyOf(r) }))
  const payouts = sim
    .listSendRequests()
    .filter((s: any) => !before.sendRequests.has(String(s.id)))
    .map((s: any): Made => ({ kind: "payout", id: String(s.id), amount: cents(s.input_amount), status: s.status, formKey: keyOf(s) }))
  return [...refunds, ...payouts].filter((m) => !NOT_OUT.has(m.status))
}

/** A Medusa refund row of the payment: made by a form (its note carries the form's tag) or by hand (Refund button, cancel). */
export type MedusaRefund = { id: string; amount: number; formKey: string | null }
export const medusaRefundsOf = (payment: any): MedusaRefund[] =>
  (payment.refunds ?? []).map((r: any) => ({ id: r.id, amount: cents(r.raw_amount?.value ?? r.amount), formKey: TAG.exec(String(r.note ?? ""))?.[1] ?? null }))

/** A broken invariant: its kind (the figures count kinds) and what was seen. */
export type Violation = { kind: "cap exceeded" | "made twice" | "made by no form" | "unknown to the plugin" | "books differ" | "form refund listed by hand" | "left unknown"; text: string }

/** Violations that must never hold, at any moment: more out than captured, a form made twice or made by no form. */
export function alwaysViolations(made: Made[], captured: number): Violation[] {
  const out: Violation[] = []
  const total = made.reduce((s, m) => s + m.amount, 0)
  if (total > captured) out.push({ kind: "cap exceeded", text: `${euros(total)} out at CoinGate on ${euros(captured)} captured (${made.map((m) => `${m.kind} ${m.id} ${euros(m.amount)}`).join(", ")})` })
  const byKey = new Map<string, Made[]>()
  for (const m of made) byKey.set(m.formKey ?? "(none)", [...(byKey.get(m.formKey ?? "(none)") ?? []), m])
  for (const [key, list] of byKey) {
    if (key === "(none)") out.push({ kind: "made by no form", text: list.map((m) => `${m.kind} ${m.id}`).join(", ") })
    else if (list.length > 1) out.push({ kind: "made twice", text: `form ${key} made ${list.length} times at CoinGate: ${list.map((m) => `${m.kind} ${m.id} ${euros(m.amount)}`).join(", ")}` })
  }
  return out
}

/**
 * Violations once every outcome is resolved (after a final "Check CoinGate", the grace period aged):
 * - no intent of the payment is left in flight or of unknown outcome;
 * - every CoinGate refund or send request of the case is one of the plugin's records of the payment;
 * - Medusa's books equal CoinGate's: Medusa's refunds, less what the plugin lists as still to refund by hand
 *   (made by Medusa on its own: Refund button, cancel; and never paid through CoinGate since), add up to what
 *   CoinGate made. A refund a form made is never listed to refund by hand (the admin would pay it twice).
 */
export function resolvedViolations(input: {
  made: Made[]
  recordIds: Set<string>
  medusaRefunds: MedusaRefund[]
  /** What the plugin lists as still to refund by hand (not settled), in cents, by Medusa refund id. */
  toRefundByHand: Map<string, number>
  /** The payment's intents still requested or unknown. */
  unsettled: Array<{ id: string; kind: string; amount: string; state: string }>
}): Violation[] {
  const out: Violation[] = []
  for (const i of input.unsettled) out.push({ kind: "left unknown", text: `intent ${i.id} (${i.kind} ${i.amount}) is still ${i.state} after the final Check CoinGate` })
  for (const m of input.made) {
    if (!input.recordIds.has(`${m.kind}:${m.id}`)) out.push({ kind: "unknown to the plugin", text: `${m.kind} ${m.id} (${euros(m.amount)}) made at CoinGate is not one of the plugin's records` })
  }
  let books = 0
  for (const r of input.medusaRefunds) {
    // A listed refund counts for what is still owed on it: CoinGate money Medusa could not record may pay part of it.
    if (!input.toRefundByHand.has(r.id)) books += r.amount
    else books += r.amount - input.toRefundByHand.get(r.id)!
    if (input.toRefundByHand.has(r.id) && r.formKey) out.push({ kind: "form refund listed by hand", text: `Medusa refund ${r.id} (${euros(r.amount)}) of form ${r.formKey} is listed to refund by hand` })
  }
  const made = input.made.reduce((s, m) => s + m.amount, 0)
  if (books !== made) {
    out.push({ kind: "books differ", text: `Medusa counts ${euros(books)} refunded through CoinGate (${euros(input.medusaRefunds.reduce((s, r) => s + r.amount, 0))} in all, the rest to refund by hand), CoinGate made ${euros(made)}` })
  }
  return out
}

/**
 * Arbitraries of one command's parts. Amounts in cents, mostly small enough that several fit in one capture:
 * some CoinGate refuses (< 1 EUR), some over the cap, some exactly what is left.
 */
export const amountArb = (captured: number) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 100, max: Math.floor(captured / 2) }) },
    { weight: 2, arbitrary: fc.integer({ min: 100, max: captured }) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 99 }) },
    { weight: 1, arbitrary: fc.integer({ min: captured + 1, max: captured * 2 }) },
    { weight: 1, arbitrary: fc.constantFrom(Math.floor(captured / 2), captured) }
  )
export const outcomeArb: fc.Arbitrary<Outcome> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Outcome>("ok") },
  { weight: 4, arbitrary: fc.constantFrom<Outcome>(...OUTCOMES.filter((o) => o !== "ok")) }
)

import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { createHash } from "crypto"
import { recordsService } from "../payments/records"
import { CoinGateRefundError } from "./rules/outcome"

/**
 * The admin's intents to move money through CoinGate (`coingate_refund_intent`): one row per refund form
 * submitted, written before CoinGate is asked anything, so that a double click, two admins, a timeout or a
 * retried request never make a second CoinGate refund or send request (docs/security.md).
 */

export type IntentState = "requested" | "sent" | "failed" | "unknown"
export type IntentPurpose = "new" | "settle"

export type RefundIntent = {
  id: string
  key: string
  fingerprint: string
  purpose: IntentPurpose
  kind: "refund" | "payout"
  payment_id: string
  provider_id: string
  order_id: string | null
  medusa_refund_id: string | null
  amount: string
  currency_code: string
  state: IntentState
  error: string | null
  refund_record_id: string | null
  requested_by: string | null
  /** What was asked of CoinGate (address, coin, network, ...): how a lost answer is found and recorded. */
  request: Record<string, any> | null
  /** When the CoinGate request was (last) sent: the grace period of a resolution counts from here. */
  sent_at: Date | null
  created_at: Date
}

/** A submit with no idempotency key counts as the same intent as an identical one this recent. */
export const SAME_INTENT_WINDOW_MS = 2 * 60_000

const service = (container: MedusaContainer) => recordsService(container) as any

/** What identifies an intent when the form sent no idempotency key: the same refund asked twice. */
export function intentFingerprint(parts: Array<string | number | null | undefined>): string {
  return createHash("sha256").update(JSON.stringify(parts.map((p) => (p === undefined ? null : p)))).digest("hex")
}

export async function listIntents(container: MedusaContainer, filters: Record<string, unknown>): Promise<RefundIntent[]> {
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined) throw new Error(`listIntents: the filter ${k} is undefined`)
  }
  return (await service(container).listCoinGateRefundIntents(filters, { order: { created_at: "DESC" } })) as RefundIntent[]
}

/**
 * The earlier intent a submit repeats, if any: the same idempotency key, or (without a key) the same
 * fingerprint on the same payment within `SAME_INTENT_WINDOW_MS`, or still unsettled (requested, or
 * unknown because CoinGate did not answer) whenever it was made. A failed one is not repeated: the
 * admin may try again.
 */
export async function earlierIntent(
  container: MedusaContainer,
  input: { key: string | null; paymentId: string; fingerprint: string },
  now = Date.now()
): Promise<RefundIntent | null> {
  if (input.key) {
    const [same] = await listIntents(container, { key: input.key })
    if (same) return same
  }
  const alike = await listIntents(container, { payment_id: input.paymentId, fingerprint: input.fingerprint })
  return (
    alike.find((i) => i.state === "requested" || i.state === "unknown") ??
    (input.key ? null : alike.find((i) => i.state === "sent" && now - new Date(i.created_at).getTime() < SAME_INTENT_WINDOW_MS)) ??
    null
  )
}

/** Refuses a submit that repeats an intent still in flight or of unknown outcome (409). */
export function refuseUnsettled(intent: RefundIntent): never {
  if (intent.state === "unknown") {
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      `An identical ${intent.kind} of ${intent.amount} ${intent.currency_code} was asked of CoinGate and its answer was lost: ` +
        'it may have been made, so it is not made again. Its amount stays reserved until CoinGate says what happened ("Check CoinGate", or the next automatic check).'
    )
  }
  throw new MedusaError(MedusaError.Types.CONFLICT, `An identical ${intent.kind} of ${intent.amount} ${intent.currency_code} is being made; it was not made twice.`)
}

export async function createIntent(
  container: MedusaContainer,
  input: Omit<RefundIntent, "id" | "state" | "error" | "refund_record_id" | "created_at" | "request" | "sent_at"> & { request?: unknown; sent_at?: Date }
): Promise<RefundIntent> {
  try {
    return (await service(container).createCoinGateRefundIntents({ ...input, state: "requested", error: null, refund_record_id: null })) as RefundIntent
  } catch (e: any) {
    // The unique key: the same intent submitted at the same moment elsewhere.
    if (/unique|duplicate|already exists/i.test(String(e?.message ?? e))) {
      throw new MedusaError(MedusaError.Types.CONFLICT, "This refund form was already submitted; it was not made twice.")
    }
    throw e
  }
}

export async function updateIntent(container: MedusaContainer, id: string, update: Partial<Omit<RefundIntent, "id" | "key" | "created_at">>) {
  await service(container).updateCoinGateRefundIntents({ id, ...update })
}

/**
 * What an error means for the intent: unknown when the request may have reached CoinGate without a
 * clear answer (classified in src/refunds/rules/outcome.ts), failed when it proves nothing was made (or the
 * request was never sent: a validation error before it).
 */
export function stateAfterError(e: any): IntentState {
  return e instanceof CoinGateRefundError && e.outcome === "unknown" ? "unknown" : "failed"
}

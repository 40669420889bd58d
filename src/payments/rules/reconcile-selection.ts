/**
 * Which CoinGate orders a reconciliation pass reads, and in what order. Pure: the
 * Medusa side (src/sources/reconcile.ts) loads the candidates with indexed queries and
 * hands them here.
 *
 * Two kinds of candidates:
 * - records (`coingate_payment`) whose `next_check_at` has come (src/payments/rules/schedule.ts
 *   sets it from the order's last status);
 * - CoinGate payment sessions still open (pending, pending authorization, requires
 *   more) that have no record at all: their invoice was created but no callback, return
 *   or status check ever reached the backend. They are read once they are a few minutes
 *   old, for two days; the first read creates their record, whose schedule takes over.
 */

import type { PaymentAttentionReason } from "../../shared/attention"
import { LAST_RECONCILE_PRIORITY, policyOf } from "./status-policy"

const PAID_NOT_CAPTURED: PaymentAttentionReason = "paid_not_captured"

const MINUTE = 60_000
const HOUR = 60 * MINUTE

/** A session without a record is first read this long after it was created. */
export const UNRECORDED_MIN_AGE_MS = 5 * MINUTE
/** Sessions older than this without any record are left alone (CoinGate's late-payment window is 24 h). */
export const UNRECORDED_MAX_AGE_MS = 48 * HOUR
/** Session statuses that still wait for CoinGate. */
export const OPEN_SESSION_STATUSES = ["pending", "pending_authorization", "requires_more"] as const

export type DueRecord = {
  id: string
  coingate_order_id: string
  payment_session_id: string
  provider_id: string
  status: string
  next_check_at: Date | string | null
  attention?: string | null
}

export type UnrecordedSession = {
  id: string
  provider_id: string
  status: string
  created_at?: Date | string | null
  coingate_order_id: number | string | null | undefined
}

export type WorkItem = {
  kind: "record" | "session"
  sessionId: string
  providerId: string
  coingateOrderId: number
  /** The record to reschedule when the read fails (records only). */
  recordId?: string
  /** Lower reads first. */
  priority: number
  /** When it became due (ms): older first within a priority. */
  dueAt: number
}

/**
 * Urgency of a candidate: money seen but not yet captured first, then invoices being
 * paid, then untouched ones, then the day-long watch of expired and canceled invoices
 * for a late payment (each status's `reconcilePriority` in status-policy.ts). A session
 * without a record has only Medusa's session status to go by.
 */
export function priorityOf(item: { kind: "record" | "session"; status: string; attention?: string | null }): number {
  if (item.kind === "session") return item.status === "pending_authorization" ? 0 : 1
  if (item.attention === PAID_NOT_CAPTURED) return 0
  return policyOf(item.status)?.reconcilePriority ?? LAST_RECONCILE_PRIORITY
}

const toMs = (value: Date | string | null | undefined, fallback: number) => {
  if (value === null || value === undefined) return fallback
  const ms = value instanceof Date ? value.getTime() : Date.parse(value)
  return Number.isFinite(ms) ? ms : fallback
}

const toOrderId = (value: unknown): number | null => {
  const text = typeof value === "number" ? String(value) : value
  return typeof text === "string" && /^\d{1,15}$/.test(text) ? Number(text) : null
}

/**
 * The pass's reading list: records and unrecorded sessions merged, one entry per
 * CoinGate order (a record wins over a session), most urgent first.
 */
export function orderWork(records: DueRecord[], sessions: UnrecordedSession[], now: number): WorkItem[] {
  const items: WorkItem[] = []
  const seen = new Set<number>()
  for (const r of records) {
    const coingateOrderId = toOrderId(r.coingate_order_id)
    if (coingateOrderId === null || seen.has(coingateOrderId)) continue
    seen.add(coingateOrderId)
    items.push({
      kind: "record",
      sessionId: r.payment_session_id,
      providerId: r.provider_id,
      coingateOrderId,
      recordId: r.id,
      priority: priorityOf({ kind: "record", status: r.status, attention: r.attention }),
      dueAt: toMs(r.next_check_at, now),
    })
  }
  for (const s of sessions) {
    const coingateOrderId = toOrderId(s.coingate_order_id)
    if (coingateOrderId === null || seen.has(coingateOrderId)) continue
    seen.add(coingateOrderId)
    items.push({
      kind: "session",
      sessionId: s.id,
      providerId: s.provider_id,
      coingateOrderId,
      priority: priorityOf({ kind: "session", status: s.status }),
      dueAt: toMs(s.created_at, now) + UNRECORDED_MIN_AGE_MS,
    })
  }
  return items.sort((a, b) => a.priority - b.priority || a.dueAt - b.dueAt || a.coingateOrderId - b.coingateOrderId)
}

/**
 * When a record whose order could not be read is tried again: soon after a passing
 * failure (CoinGate down, a timeout), in an hour when CoinGate does not know the order
 * (so a lost order does not cost a request every minute).
 */
export function retryAfterFailure(now: number, failure: { transient: boolean }): Date {
  return new Date(now + (failure.transient ? 2 * MINUTE : HOUR))
}

// --- Session ids as a time range ---------------------------------------------------

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** The 10-character time part of a ULID for `ms` (48-bit milliseconds, Crockford base32). */
export function ulidTime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0 || ms > 2 ** 48 - 1) throw new Error(`Not a ULID time: ${ms}`)
  let rest = Math.floor(ms)
  let out = ""
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32] + out
    rest = Math.floor(rest / 32)
  }
  return out
}

/** The time a ULID-based id (`payses_01H...`) was generated, or null. */
export function timeOfUlidId(id: string): number | null {
  const ulid = id.slice(id.lastIndexOf("_") + 1)
  if (ulid.length !== 26) return null
  let ms = 0
  for (const ch of ulid.slice(0, 10).toUpperCase()) {
    const v = CROCKFORD.indexOf(ch)
    if (v < 0) return null
    ms = ms * 32 + v
  }
  return ms
}

/**
 * Bounds of the ids of sessions created between `fromMs` and `toMs`. Medusa's ids are
 * `<prefix>_<ULID>`, and a ULID starts with its creation time, so the primary key's
 * index finds a time range of sessions without reading the older ones.
 */
export function idRangeForTimes(prefix: string, fromMs: number, toMs: number): { gte: string; lte: string } {
  return { gte: `${prefix}_${ulidTime(fromMs)}${"0".repeat(16)}`, lte: `${prefix}_${ulidTime(toMs)}${"Z".repeat(16)}` }
}

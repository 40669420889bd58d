import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { COINGATE_MODULE, type CoinGateModuleService } from "../modules/coingate/index"
import { BODY_CAP_BYTES, storedBody, storedBodyBytes, UNVERIFIED_BODY_CAP_BYTES } from "./body"
import { chargeDay, dayOf, ROW_BYTES } from "./day-bound"

/**
 * THE writer of the callback log (`coingate_callback`, docs/admin.md): every callback route and the
 * `/hooks/payment` subscriber call `recordCallback` once per callback, after they have their answer.
 *
 * It never throws and never changes an answer: a failed write is logged as a warning. Routes call it
 * after sending their answer, so it does not slow CoinGate's delivery either.
 *
 * Bounded writes under a flood (the routes are public): in each process, per minute, route and outcome,
 * the first `INDIVIDUAL_PER_MINUTE[outcome]` callbacks get a row each; the others are only counted, and
 * the count is written to one aggregate row for that minute, route and outcome (`aggregate: true`,
 * `count`), created at the first overflow and updated at most every `FLUSH_EVERY_MS`. So a minute costs
 * at most (budget + 1 + 60 s / FLUSH_EVERY_MS) writes per route and outcome, however many callbacks
 * arrive. Several processes each keep their own budget.
 *
 * Bounded size: only authenticated callbacks (accepted, stale: verified against CoinGate) keep a body of up
 * to 4 KB; the others (forged, unknown, malformed, transient: anyone can post them) at most 512 bytes. And
 * every individual row is charged to the day's count in the database, shared by all processes
 * (src/callback-log/day-bound.ts): past the daily bound an unauthenticated callback is only counted in the
 * minute's aggregate row, and an authenticated one keeps its row without the body.
 */

import type { CallbackKind, CallbackOutcome } from "../shared/callback-outcome"
export { CALLBACK_KINDS, CALLBACK_OUTCOMES, type CallbackKind, type CallbackOutcome } from "../shared/callback-outcome"

/** Callbacks verified against CoinGate's API: the only ones whose body the log keeps whole (up to 4 KB). */
export const AUTHENTICATED_OUTCOMES: ReadonlySet<CallbackOutcome> = new Set(["accepted", "stale"])

/** Authentic callbacks (accepted, stale) are CoinGate's: a large budget. What anyone can post: a small one. */
export const INDIVIDUAL_PER_MINUTE: Record<CallbackOutcome, number> = {
  accepted: 300,
  stale: 300,
  transient: 60,
  forged: 30,
  unknown: 30,
  malformed: 30,
}
export const FLUSH_EVERY_MS = 2000
const ANSWER_MAX = 300

export type CallbackEntry = {
  kind: CallbackKind
  /** The route's template, never a URL token. */
  route: string
  outcome: CallbackOutcome
  answerStatus: number
  /** What the store answered (its JSON body), summed up by `answerText`. */
  answer: string
  coingateOrderId?: string | number | null
  coingateRef?: string | number | null
  paymentSessionId?: string | null
  providerId?: string | null
  body?: unknown
  /** Values that must not appear in the stored body (the callback's token, the URL token). */
  secrets?: Array<string | null | undefined>
  receivedAt?: Date
}

/** A route's JSON answer in a few words: its message, "ignored: <why>" or "ok: <status>". */
export function answerText(body: Record<string, unknown> | undefined | null): string {
  const text =
    typeof body?.message === "string"
      ? body.message
      : typeof body?.ignored === "string"
        ? `ignored: ${body.ignored}`
        : typeof body?.status === "string"
          ? `ok: ${body.status}`
          : "ok"
  return text.slice(0, ANSWER_MAX)
}

/** Ids as posted are untrusted: kept only when they look like ids. */
const idText = (v: unknown): string | null => {
  const s = typeof v === "number" && Number.isSafeInteger(v) ? String(v) : typeof v === "string" ? v.trim() : ""
  return /^[A-Za-z0-9_-]{1,100}$/.test(s) ? s : null
}

type Window = {
  minute: number
  stored: number
  overflow: number
  aggregateId?: string
  flushed: number
  timer?: NodeJS.Timeout
  last?: CallbackEntry
  /** Some were counted only because the day's size bound was reached (the aggregate row says so). */
  dayFull?: boolean
  /** The count being written now, if any. */
  flushing?: Promise<void>
}

const windows = new Map<string, Window>()

function windowOf(entry: CallbackEntry, now: Date): Window {
  const minute = Math.floor(now.getTime() / 60_000)
  const key = `${minute}|${entry.route}|${entry.outcome}`
  let w = windows.get(key)
  if (!w) {
    // Forget windows older than the previous minute once they have nothing left to write.
    for (const [k, old] of windows) if (old.minute < minute - 1 && !old.timer) windows.delete(k)
    w = { minute, stored: 0, overflow: 0, flushed: 0 }
    windows.set(key, w)
  }
  return w
}

export const callbackLogService = (container: MedusaContainer) => container.resolve<CoinGateModuleService>(COINGATE_MODULE)
const service = callbackLogService

function warn(container: MedusaContainer, what: string, e: any) {
  // A database error quotes its whole statement ("insert into ... - relation ... does not exist"): keep the reason.
  const message = String(e?.message ?? e)
  const reason = (message.includes(" - ") ? message.slice(message.lastIndexOf(" - ") + 3) : message).slice(0, 200)
  try {
    container.resolve<Logger>(ContainerRegistrationKeys.LOGGER).warn(`CoinGate callback log: ${what} not written (${reason}).`)
  } catch {
    // No logger: nothing more can be done, and the callback's answer must not change.
  }
}

async function flush(container: MedusaContainer, w: Window) {
  w.timer = undefined
  // One write of a window's count at a time: a slow database must not let a second timer create a second
  // aggregate row (the count would then be written twice).
  while (w.flushing) await w.flushing
  const run = writeCount(container, w)
  w.flushing = run
  try {
    await run
  } finally {
    if (w.flushing === run) w.flushing = undefined
  }
  if (w.overflow !== w.flushed && !w.timer) schedule(container, w)
}

async function writeCount(container: MedusaContainer, w: Window) {
  const count = w.overflow
  const last = w.last
  if (!last || count === w.flushed) return
  const answer =
    `${count} more ${last.outcome} callback${count === 1 ? "" : "s"} in this minute, counted, not stored one by one ` +
    `(${w.dayFull ? "flood or daily size bound" : "flood bound"}); last answer: ${last.answerStatus} ${last.answer}`
  try {
    if (w.aggregateId) {
      await service(container).updateCoinGateCallbacks({ id: w.aggregateId, count, answer: answer.slice(0, ANSWER_MAX), answer_status: last.answerStatus })
    } else {
      const row = await service(container).createCoinGateCallbacks({
        kind: last.kind,
        route: last.route,
        outcome: last.outcome,
        answer_status: last.answerStatus,
        answer: answer.slice(0, ANSWER_MAX),
        body: null,
        count,
        aggregate: true,
        received_at: new Date(w.minute * 60_000),
      })
      w.aggregateId = row.id
    }
    w.flushed = count
  } catch (e) {
    // The next flush writes the count again (into a new row if this one is gone).
    w.aggregateId = undefined
    warn(container, "an aggregate row", e)
  }
}

function schedule(container: MedusaContainer, w: Window) {
  w.timer = setTimeout(() => void flush(container, w), FLUSH_EVERY_MS)
  w.timer.unref?.()
}

/** Records one callback (see the file's comment). Never throws. */
export async function recordCallback(container: MedusaContainer, entry: CallbackEntry): Promise<void> {
  try {
    const receivedAt = entry.receivedAt ?? new Date()
    const w = windowOf(entry, receivedAt)
    const countOnly = () => {
      w.overflow++
      w.last = entry
      if (!w.timer) schedule(container, w)
    }
    if (w.stored >= INDIVIDUAL_PER_MINUTE[entry.outcome]) return countOnly()
    w.stored++
    const authenticated = AUTHENTICATED_OUTCOMES.has(entry.outcome)
    let body = storedBody(entry.body, entry.secrets, authenticated ? BODY_CAP_BYTES : UNVERIFIED_BODY_CAP_BYTES)
    if (!(await chargeDay(container, dayOf(receivedAt), ROW_BYTES + storedBodyBytes(body)))) {
      if (!authenticated) {
        w.dayFull = true
        return countOnly()
      }
      // CoinGate's own callbacks keep their row (they are bounded by the shop's payments), without the body.
      body = null
    }
    await service(container).createCoinGateCallbacks({
      kind: entry.kind,
      route: entry.route,
      outcome: entry.outcome,
      answer_status: entry.answerStatus,
      answer: entry.answer.slice(0, ANSWER_MAX),
      coingate_order_id: idText(entry.coingateOrderId),
      coingate_ref: idText(entry.coingateRef),
      payment_session_id: idText(entry.paymentSessionId),
      provider_id: idText(entry.providerId),
      body,
      count: 1,
      aggregate: false,
      received_at: receivedAt,
    })
  } catch (e) {
    warn(container, `${entry?.kind} callback (${entry?.outcome})`, e)
  }
}

/** Writes the pending aggregate counts now (tests, shutdown). */
export async function flushCallbackCounts(container: MedusaContainer): Promise<void> {
  for (const w of windows.values()) {
    if (w.timer) clearTimeout(w.timer)
    await flush(container, w)
  }
}

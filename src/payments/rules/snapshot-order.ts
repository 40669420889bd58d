import type { CoinGateOrder } from "../../coingate/types"
import { policyOf } from "./status-policy"

/**
 * THE ordering rule of CoinGate snapshots (issue 22, finding 10): an older copy of a CoinGate order never
 * overwrites a newer one in the plugin's record, whichever path brings it (callback, shopper's return,
 * storefront check, cart completion, reconciliation, admin refresh, a record's own snapshot applied again).
 *
 * CoinGate's order has no version or `updated_at` (reference/v2.json, `GET /orders/{id}`: `created_at`,
 * `expire_at`, `paid_at` only), so a snapshot is placed in time by when it was read: the moment the request
 * went out and the moment its answer came back. Between those two moments CoinGate answered with its state
 * of some instant; which instant is not known. So:
 * - a read sent after another read's answer came back is newer (CoinGate said it later, even a step back,
 *   which CoinGate's own state machine never does on a valid path, but which the record then tells as it is);
 * - a read whose answer came back before another read was sent is older;
 * - two reads that overlapped in time are ordered by CoinGate's own order of statuses (`stage` in the
 *   status policy: a later stage is the newer), and within a stage the read sent later is the newer.
 */

/** When a snapshot was read from CoinGate's API: the request sent, its answer received (ISO strings). */
export type ReadWindow = { requestedAt: string; answeredAt: string }

/** A CoinGate order with the time it was read. */
export type TimedOrder = { order: CoinGateOrder; read: ReadWindow }

/** Reads with `read` and notes when (the client's own retries fall inside the window). */
export async function timedRead(read: () => Promise<CoinGateOrder>): Promise<TimedOrder> {
  const requestedAt = new Date().toISOString()
  const order = await read()
  return { order, read: { requestedAt, answeredAt: new Date().toISOString() } }
}

/**
 * A window for a snapshot whose read time is not known (a caller of the exported workflow that gave none, a
 * record written before the times were kept): it overlaps every read up to `until`, so only CoinGate's
 * order of statuses can make it newer, never a step back.
 */
export function unknownWindow(until: Date | string = new Date()): ReadWindow {
  return { requestedAt: new Date(0).toISOString(), answeredAt: new Date(until).toISOString() }
}

export type HeldSnapshot = { status: string; read: ReadWindow }

const ms = (iso: string) => {
  const t = new Date(iso).getTime()
  return Number.isFinite(t) ? t : 0
}

/** Stage of a status in CoinGate's order; an unknown status sorts first (it never displaces a known one). */
export const stageOf = (status: string) => policyOf(status)?.stage ?? -1

/** Whether `incoming` is newer than `held` (what the record holds): the only case it may replace it. */
export function isNewerSnapshot(incoming: HeldSnapshot, held: HeldSnapshot | null): boolean {
  if (!held) return true
  if (ms(incoming.read.requestedAt) > ms(held.read.answeredAt)) return true
  if (ms(incoming.read.answeredAt) < ms(held.read.requestedAt)) return false
  const byStage = stageOf(incoming.status) - stageOf(held.status)
  if (byStage !== 0) return byStage > 0
  return ms(incoming.read.requestedAt) >= ms(held.read.requestedAt)
}

import type { MedusaContainer } from "@medusajs/framework/types"
import { paymentFigures, recordOf } from "../soak/lib/reliability"
import { orderOfCart, sessionById } from "./store"

/**
 * The test's own oracle of CoinGate's order of statuses (its state machine, simulator/README.md and
 * CoinGate's docs), kept apart from the plugin's table so that a wrong table cannot hide a wrong record.
 */
export const NEXT_STATUS: Record<string, string[]> = {
  new: ["pending", "confirming", "paid", "expired", "canceled"],
  pending: ["confirming", "paid", "expired", "canceled"],
  confirming: ["paid", "invalid"],
  expired: ["paid"],
  canceled: ["paid"],
  paid: ["partially_refunded", "refunded"],
  partially_refunded: ["refunded"],
  invalid: [],
  refunded: [],
}
const STAGE: Record<string, number> = { new: 0, pending: 1, confirming: 2, invalid: 3, expired: 3, canceled: 3, paid: 4, partially_refunded: 5, refunded: 6 }
const PAID = new Set(["paid", "partially_refunded", "refunded"])

/** History entries that go back in CoinGate's order (paid -> pending, canceled -> new), as "from -> to". */
export function backwardEntries(history: { status: string }[]): string[] {
  const found: string[] = []
  let top = -1
  let topStatus = ""
  for (const { status } of history) {
    if ((STAGE[status] ?? -1) < top) found.push(`${topStatus} -> ${status}`)
    else [top, topStatus] = [STAGE[status], status]
  }
  return found
}

/** What the record's `medusa_state` must be once CoinGate's last status is applied. */
export function expectedMedusaState(lastStatus: string): string {
  if (PAID.has(lastStatus)) return "captured"
  if (lastStatus === "expired" || lastStatus === "canceled") return "canceled"
  if (lastStatus === "invalid") return "failed"
  if (lastStatus === "confirming") return "awaiting_payment"
  return "pending"
}

/**
 * Everything wrong with one invoice once the dust settled, given CoinGate's path: the record is CoinGate's last
 * status, its history only CoinGate's statuses in CoinGate's order (never a step back), Medusa's state what that
 * status asks (captured exactly once when paid, never otherwise), the session data's status CoinGate's.
 */
export async function stateViolations(container: MedusaContainer, t: { coingateOrderId: number; sessionId: string; cartId: string }, path: string[]): Promise<string[]> {
  const last = path[path.length - 1]
  const out: string[] = []
  const record = await recordOf(container, t.coingateOrderId)
  if (!record) return [`no record (CoinGate says ${last})`]
  if (record.status !== last) out.push(`record ${record.status}, CoinGate ${last}`)
  const history = (record.history ?? []).map((h: any) => h.status)
  const back = backwardEntries(record.history ?? [])
  if (back.length) out.push(`backwards history entries ${back.join(", ")} (history ${history.join(" > ")})`)
  let i = 0
  for (const status of history) {
    while (i < path.length && path[i] !== status) i++
    if (i === path.length) {
      out.push(`history ${history.join(" > ")} is not CoinGate's path ${path.join(" > ")} in order`)
      break
    }
  }
  if (record.medusa_state !== expectedMedusaState(last)) out.push(`record says Medusa ${record.medusa_state}, expected ${expectedMedusaState(last)} for ${last}`)
  const figures = await paymentFigures(container, t.sessionId)
  const order = await orderOfCart(container, t.cartId)
  if (PAID.has(last)) {
    if (!order?.captured || figures.payments !== 1 || figures.captures !== 1) out.push(`paid but Medusa has order ${!!order}, ${figures.payments} payments, ${figures.captures} captures`)
  } else if (figures.captured || figures.captures) {
    out.push(`captured while CoinGate says ${last}`)
  }
  if (last === "confirming" && !order) out.push("confirming but no order placed")
  const session = await sessionById(container, t.sessionId)
  if (session?.data?.coingate_status !== last) out.push(`session data says ${session?.data?.coingate_status}, CoinGate ${last}`)
  return out
}

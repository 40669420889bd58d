import type { MedusaContainer } from "@medusajs/framework/types"
import { CoinGateBudgetError } from "../coingate/client"
import { RequestClass, withRequestClass } from "../coingate/request-budget"
import { SingleFlight } from "../coingate/single-flight"
import { coingateGateway } from "../gateway/index"
import { TimedOrder, timedRead } from "../payments/rules/snapshot-order"

const reads = new SingleFlight<TimedOrder>()

/**
 * Reads a CoinGate order through its provider, counted as `cls` in the API app's request
 * budget. Concurrent reads of one order (a burst of returns, reconciliation meeting the
 * storefront's check) share one request; the order read is applied by each caller,
 * which `applyCoinGateOrder`'s lock and idempotence allow. The order comes with when it was read, which
 * orders it against what the record holds (src/payments/rules/snapshot-order.ts).
 */
export async function readCoinGateOrder(
  container: MedusaContainer,
  providerId: string,
  coingateOrderId: number | string,
  cls: RequestClass
): Promise<TimedOrder> {
  const read = () => timedRead(() => withRequestClass(cls, () => coingateGateway(container, providerId).readOrder(coingateOrderId)))
  try {
    return await reads.run(`${providerId}:${coingateOrderId}`, read)
  } catch (e) {
    // Joined a read the budget refused to another class (the public share spent): this class may still have room.
    if (e instanceof CoinGateBudgetError && e.requestClass !== cls) return read()
    throw e
  }
}

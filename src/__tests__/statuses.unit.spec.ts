import { COINGATE_STATUSES } from "../coingate/types"
import { STATUS_POLICY } from "../payments/rules/status-policy"
import { statusLabel } from "../admin/lib/coingate-api"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { STATUSES: SIMULATOR_STATUSES } = require("../../simulator/orders")

/**
 * THE list of CoinGate order statuses is `COINGATE_STATUSES` (src/coingate/types.ts): the server's policy, the
 * admin's filter and labels read it. The simulator (plain JS, outside the package's code) keeps its own copy:
 * it must be the same list, in the same order.
 */
describe("one list of CoinGate statuses", () => {
  it("the simulator's copy is THE list", () => {
    expect(SIMULATOR_STATUSES).toEqual([...COINGATE_STATUSES])
  })

  it("the status policy has one row per status of the list, and no other", () => {
    expect(Object.keys(STATUS_POLICY).sort()).toEqual([...COINGATE_STATUSES].sort())
  })

  it("the admin has a label of its own for each status (not the fallback)", () => {
    for (const s of COINGATE_STATUSES) expect(statusLabel(s).label).not.toBe(s.replace(/_/g, " "))
  })
})

import fs from "fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import coingateReconcileJob from "../../../src/jobs/coingate-reconcile"
import { RECONCILE_LOCK_KEY, reconcileOnce } from "../../../src/sources/reconcile"

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())))

/**
 * `medusa exec` script of the several-instances suite: two of these run as separate
 * processes on the Redis modules and race for the same reconciliation tick at RACE_AT.
 * The "holder" then holds the pass lock for 8 s; the "runner" tries a pass while it is held
 * (RACE_AT + 3 s) and after (RACE_AT + 12 s). Results go to RACE_OUT as JSON.
 */
export default async function race({ container }: ExecArgs) {
  const at = Number(process.env.RACE_AT)
  const role = process.env.RACE_ROLE
  const out: Record<string, unknown> = { role }
  await sleepUntil(at)
  out.job = await coingateReconcileJob(container, { scheduledFor: new Date(Number(process.env.RACE_TICK)) })
  if (role === "holder") {
    const locking = container.resolve(Modules.LOCKING)
    await sleepUntil(at + 1000)
    await locking.acquire(RECONCILE_LOCK_KEY, { ownerId: "race-holder", expire: 60 })
    out.heldAt = Date.now()
    await sleepUntil(at + 9000)
    out.released = await locking.release(RECONCILE_LOCK_KEY, { ownerId: "race-holder" })
  } else {
    await sleepUntil(at + 3000)
    out.whileHeld = await reconcileOnce(container)
    await sleepUntil(at + 12_000)
    out.afterRelease = await reconcileOnce(container)
  }
  fs.writeFileSync(process.env.RACE_OUT!, JSON.stringify(out))
}

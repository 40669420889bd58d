import fc from "fast-check"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { syncSession } from "../../src/sources/sync-session"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { NEXT_STATUS, stateViolations } from "../helpers/state-path"
import { completeCart, createCart, seedStore, startCoinGatePayment, Store } from "../helpers/store"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { callbackPayload } = require("../../simulator/views")
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { encodeForm } = require("../../simulator/http-util")

jest.setTimeout(3_600_000)
process.env.COINGATE_RECONCILE_DISABLED = "true"

/**
 * Issue 22's state-path property: one invoice per case, whose CoinGate status moves along a random valid path
 * (CoinGate's state machine), while callbacks (in and out of order, repeated, concurrent), the shopper's
 * returns, the storefront's status checks, cart completions and reconciliation reads run in random
 * interleavings, some at the same time. However they interleave, once CoinGate has delivered every callback
 * (a 503 is retried, as CoinGate does) the record holds CoinGate's last status, its history only CoinGate's
 * statuses in CoinGate's order (never a step back), and Medusa's state is what that status asks
 * (integration-tests/helpers/state-path.ts, `stateViolations`).
 *
 * STATE_PROPERTY_RUNS sets the number of cases (default 12; `npm run test:soak` runs 1,000). FC_SEED replays
 * a run; a failure prints its seed and case.
 */
const RUNS = Number(process.env.STATE_PROPERTY_RUNS ?? 12)
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31

type ActionKind = "advance" | "callback" | "storefront" | "return" | "burst" | "complete" | "reconcile"
type Action = { kind: ActionKind; pick: number; withNext: boolean; delayMs: number }

const actionArb: fc.Arbitrary<Action> = fc.record({
  kind: fc.constantFrom<ActionKind>("callback", "callback", "storefront", "storefront", "return", "burst", "complete", "reconcile"),
  pick: fc.nat(),
  // Runs at the same time as the next action (a group of concurrent requests)...
  withNext: fc.boolean(),
  // ...starting this much later than the group (so a read can start before CoinGate moves and end after).
  delayMs: fc.constantFrom(0, 0, 0, 25, 80, 200),
})

/** A case: CoinGate's path (from `new`), with the actions run after each step and after the last. */
const caseArb = fc
  .record({
    walk: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
    between: fc.array(fc.array(actionArb, { maxLength: 6 }), { minLength: 5, maxLength: 5 }),
    // Where CoinGate's step falls among the actions after it, and how it joins them.
    steps: fc.array(fc.record({ at: fc.nat(), withNext: fc.boolean(), delayMs: fc.constantFrom(0, 25, 80, 200) }), { minLength: 5, maxLength: 5 }),
    deliveryOrder: fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
  })
  .map(({ walk, between, steps, deliveryOrder }) => {
    const path = ["new"]
    for (const n of walk) {
      const next = NEXT_STATUS[path[path.length - 1]]
      if (!next.length) break
      path.push(next[n % next.length])
    }
    // Slot 0 runs before CoinGate moves; slot i holds CoinGate's step to path[i] among its actions.
    const slots = path.map((_, i) => {
      const actions = [...between[i]]
      if (i > 0) actions.splice(steps[i].at % (actions.length + 1), 0, { kind: "advance", pick: i, withNext: steps[i].withNext, delayMs: steps[i].delayMs })
      return actions
    })
    return { path, slots, deliveryOrder }
  })

const { sim } = useSimulator({ log: !!process.env.SIM_LOG, retryDelaysMs: [] })

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeAll(async () => {
      store = await seedStore(getContainer())
    })

    it(`${RUNS} random interleavings along random CoinGate paths end with the record at CoinGate's last status, Medusa consistent, never a step back (seed ${SEED})`, async () => {
      const container = getContainer()
      const samples = fc.sample(caseArb, { numRuns: RUNS, seed: SEED })
      const failures: string[] = []
      const answers: Record<string, number> = {}
      const counts = { actions: 0, concurrentGroups: 0, callbacks: 0, callbacksOutOfOrder: 0, statusSteps: 0 }
      const paths: Record<string, number> = {}
      const started = Date.now()
      const count = (what: string, status: number | string) => (answers[`${what} ${status}`] = (answers[`${what} ${status}`] ?? 0) + 1)

      for (const [index, { path, slots, deliveryOrder }] of samples.entries()) {
        paths[path[path.length - 1]] = (paths[path[path.length - 1]] ?? 0) + 1
        const cart = await createCart(container, store, 10.5)
        const { session, coingateOrderId } = await startCoinGatePayment(api, store, cart.id)
        const t = { coingateOrderId, sessionId: session.id as string, cartId: cart.id as string }
        /** Callbacks CoinGate has to deliver: the body of each status change as it was posted then. */
        const sent: { status: string; body: Record<string, unknown>; delivered: boolean }[] = []
        let newestSent = -1

        const postCallback = async (i: number) => {
          const cb = sent[i]
          if (i < newestSent) counts.callbacksOutOfOrder++
          newestSent = Math.max(newestSent, i)
          counts.callbacks++
          const res = await api.post("/hooks/coingate", encodeForm(cb.body), {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            validateStatus: () => true,
          })
          count("callback", res.status)
          if (res.status === 200) cb.delivered = true
          return res.status
        }
        const run = async ({ kind, pick, delayMs }: Action) => {
          if (delayMs) await new Promise((r) => setTimeout(r, delayMs))
          counts.actions++
          switch (kind) {
            case "advance":
              // CoinGate moves the invoice on, and its callback for this status goes out (delivered by the actions, or below).
              await sim().setStatus(coingateOrderId, path[pick], { callback: false })
              counts.statusSteps++
              sent.push({ status: path[pick], body: callbackPayload((sim() as any).store.mustGet(coingateOrderId)), delivered: false })
              return
            case "callback":
              if (sent.length) await postCallback(pick % sent.length)
              return
            case "storefront": {
              const res = await api.post(`/store/coingate/payment-sessions/${t.sessionId}/sync`, {}, { headers: store.headers, validateStatus: () => true })
              return count(kind, res.status)
            }
            case "return": {
              const res = await api.get(`/coingate/return/${t.sessionId}`, { maxRedirects: 0, validateStatus: () => true })
              return count(kind, res.status)
            }
            case "burst": {
              // A return page polling while the shopper's other tab comes back: 12 checks, one every 40 ms.
              const checks: Promise<unknown>[] = []
              for (let i = 0; i < 12; i++) {
                checks.push(run({ kind: (pick + i) % 3 === 0 ? "return" : "storefront", pick, withNext: false, delayMs: 0 }))
                await new Promise((r) => setTimeout(r, 40))
              }
              await Promise.all(checks)
              return
            }
            case "complete":
              return count(kind, (await completeCart(api, store, t.cartId)).status)
            case "reconcile":
              // What a reconciliation pass does for this invoice: read it from CoinGate (reconcile's share) and apply it.
              await syncSession(container, t.sessionId, "reconcile").then(
                () => count(kind, "ok"),
                () => count(kind, "error")
              )
          }
        }
        /** Runs the actions, each group of `withNext` ones at the same time. */
        const runAll = async (actions: Action[]) => {
          let group: Action[] = []
          for (const action of actions) {
            group.push(action)
            if (action.withNext) continue
            if (group.length > 1) counts.concurrentGroups++
            await Promise.all(group.map(run))
            group = []
          }
          if (group.length) await Promise.all(group.map(run))
        }

        for (const slot of slots) await runAll(slot)
        // CoinGate delivers every callback not yet answered 200, in its own order of retries (here: random), retrying 503s.
        const pending = sent.map((_, i) => i).filter((i) => !sent[i].delivered)
        pending.sort((a, b) => (deliveryOrder[a % 5] ?? 0) - (deliveryOrder[b % 5] ?? 0))
        for (const i of pending) {
          for (let attempt = 0; attempt < 10 && !sent[i].delivered; attempt++) await postCallback(i)
          if (!sent[i].delivered) failures.push(`case ${index}: the ${sent[i].status} callback was never answered 200`)
        }

        const violations = await stateViolations(container, t, path)
        if (violations.length) {
          failures.push(`case ${index} (seed ${SEED}) path ${path.join(" > ")}: ${violations.join("; ")}`)
        }
      }

      const figures = {
        seed: SEED,
        cases: samples.length,
        ...counts,
        lastStatuses: paths,
        answers,
        ordersChecked: samples.length,
        violations: failures.length,
        durationMs: Date.now() - started,
      }
      console.log(`[soak] state-path: ${JSON.stringify(figures)}`)
      if (failures.length) console.log(`state-path failures (seed ${SEED}):\n${failures.slice(0, 20).join("\n")}`)
      expect(failures).toEqual([])
    })
  },
})

import { freePort, SIM_TOKEN } from "../helpers/stack"
import {
  childEnv,
  createDatabase,
  databaseUrl,
  dropDatabase,
  figuresFromDb,
  MedusaChild,
  REPO_ROOT,
  runCli,
  seedThroughExec,
  sql,
  startMedusa,
  startPaymentOn,
} from "./lib/medusa-process"
import { endBackends, holdWrites, waitForBlockedWrite } from "./lib/db-hold"
import { sleep } from "./lib/reliability"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../simulator")

jest.setTimeout(900_000)

/**
 * The Medusa process killed (SIGKILL) while it handles a CoinGate callback, then started
 * again on the same database: the payment is captured after the restart, once.
 * - killed while placing the order (the order is written, its payment not yet): CoinGate's
 *   retry captures it on that same order;
 * - killed while verifying the last callback, which CoinGate will not send again: the
 *   reconciliation job of the restarted process captures it.
 * Medusa runs as `medusa start` child processes from the repository root (its
 * medusa-config.ts), on a database created and migrated for this run.
 */
const DB = `coingate_crash_${process.pid}`

describe("a crash while a callback is handled", () => {
  let sim: any
  let port: number
  let env: NodeJS.ProcessEnv
  let medusa: MedusaChild | null = null
  let seeded: Awaited<ReturnType<typeof seedThroughExec>>
  const figures = { crashes: 0, restarts: 0, ordersChecked: 0, lost: 0, doubled: 0, callbackAttempts: 0 }

  const start = async () => {
    medusa = await startMedusa({ name: "medusa", cwd: REPO_ROOT, port, env })
    return medusa
  }
  const crash = async () => {
    await medusa!.kill("SIGKILL")
    figures.crashes++
  }
  /** Waits until a latency fault holds a read of CoinGate's API (the process is inside the handler). */
  const waitForHeldRead = async () => {
    const until = Date.now() + 30_000
    while (Date.now() < until) {
      if (sim.sleepTimers.size > 0) return
      await sleep(20)
    }
    throw new Error("the callback never reached the held read")
  }

  beforeAll(async () => {
    port = await freePort()
    sim = await startSimulator({
      apiTokens: [SIM_TOKEN],
      newOrderTtlMs: 3_600_000,
      pendingTtlMs: 3_600_000,
      // CoinGate retries after 1, 5, 10, 20... minutes; here after seconds.
      retryDelaysMs: [1000, 2000, 3000, 5000, 5000, 10_000, 10_000, 20_000, 30_000, 60_000],
      callbackTimeoutMs: 20_000,
      // CoinGate's 200 requests/min and 500 orders/h are off: the suite drives far more than a store does.
      rateLimitPerMinute: 0,
      orderQuotaPerHour: 0,
      log: !!process.env.SIM_LOG,
    })
    env = childEnv({
      DATABASE_URL: databaseUrl(DB),
      COINGATE_API_URL: sim.url,
      COINGATE_API_TOKEN: SIM_TOKEN,
      BACKEND_URL: `http://127.0.0.1:${port}`,
      COINGATE_RECONCILE_DISABLED: "false",
    })
    await createDatabase(DB)
    await runCli(["db:migrate"], { cwd: REPO_ROOT, env })
    seeded = await seedThroughExec({ cwd: REPO_ROOT, env, carts: 2 })
    await start()
  })

  afterAll(async () => {
    console.log(`[soak] crash: ${JSON.stringify(figures)}`)
    await medusa?.kill("SIGKILL").catch(() => undefined)
    await sim?.close()
    await dropDatabase(DB)
  })

  it("places the order exactly once after a restart when the process died placing it (CoinGate's retry)", async () => {
    const cartId = seeded.carts[0]
    const { sessionId, coingateOrderId } = await startPaymentOn(medusa!.url, seeded.headers, cartId)
    await sim.setStatus(coingateOrderId, "paid", { callback: false })

    // Placing the order reads nothing from CoinGate any more (the payment's authorization uses the
    // order the callback just verified), so the step is held in the database instead: the payment's
    // insert, the last write of cart completion, after the order is created and linked to the cart.
    const hold = await holdWrites(DB, "payment")
    try {
      void sim.sendCallback(coingateOrderId)
      const waiting = await waitForBlockedWrite(DB, "payment", [hold.pid])
      expect(await figuresFromDb(DB, sessionId, cartId)).toMatchObject({ orders: 1, payments: 0, captures: 0 })
      await crash()
      // Its queries die with it: a backend waiting for a lock notices its client is gone only when it
      // gets the lock, and would then still commit the insert.
      await endBackends(DB, waiting)
    } finally {
      await hold.release()
    }
    expect(await figuresFromDb(DB, sessionId, cartId)).toMatchObject({ orders: 1, payments: 0, captures: 0 })

    await start()
    figures.restarts++
    const until = Date.now() + 120_000
    while (!sim.callbackLog.some((c: any) => c.orderId === coingateOrderId && c.outcome === "delivered")) {
      if (Date.now() > until) throw new Error(`CoinGate's retries never got through: ${JSON.stringify(sim.callbackLog.filter((c: any) => c.orderId === coingateOrderId).map((c: any) => [c.status, c.error]))}`)
      await sleep(250)
    }
    const attempts = sim.callbackLog.filter((c: any) => c.orderId === coingateOrderId)
    figures.callbackAttempts += attempts.length
    expect(attempts[0].outcome).toBe("retrying")

    const f = await figuresFromDb(DB, sessionId, cartId)
    figures.ordersChecked++
    if (!f.captured) figures.lost++
    if (f.captures > 1 || f.payments > 1 || f.orders > 1 || f.captureTransactions > 1) figures.doubled++
    // One order, one payment, one capture, and the capture in the order's books once.
    expect(f).toMatchObject({ orders: 1, payments: 1, captures: 1, captured: true, captureTransactions: 1 })
    const [record] = await sql(DB, `select status, medusa_state, order_id from coingate_payment where coingate_order_id = $1`, [String(coingateOrderId)])
    expect(record).toMatchObject({ status: "paid", medusa_state: "captured", order_id: f.orderId })
  })

  it("captures the payment after a restart when the last callback died with the process (reconciliation)", async () => {
    const cartId = seeded.carts[1]
    const { sessionId, coingateOrderId } = await startPaymentOn(medusa!.url, seeded.headers, cartId)

    // Confirming arrives normally: the order is placed and its record says read again in a minute.
    const confirming = await sim.setStatus(coingateOrderId, "confirming")
    expect(confirming.status).toBe(200)
    expect(await figuresFromDb(DB, sessionId, cartId)).toMatchObject({ orders: 1, payments: 0 })

    // Paid: its one callback (CoinGate gives up on it) dies with the process during verification.
    await sim.setStatus(coingateOrderId, "paid", { callback: false })
    sim.injectFault({ method: "GET", path: `/v2/orders/${coingateOrderId}`, kind: "latency", ms: 60_000, times: 1 })
    void sim.sendCallback(coingateOrderId, { retry: false })
    await waitForHeldRead()
    await sleep(200)
    await crash()

    await start()
    figures.restarts++
    // The reconciliation job runs every minute; the record is due a minute after confirming.
    // The record is saved just after the capture: wait for both.
    const recordOf = async () => (await sql(DB, `select status, medusa_state, history from coingate_payment where coingate_order_id = $1`, [String(coingateOrderId)]))[0]
    const until = Date.now() + 180_000
    let f = await figuresFromDb(DB, sessionId, cartId)
    while (!f.captured || (await recordOf())?.medusa_state !== "captured") {
      if (Date.now() > until) throw new Error(`not captured after restart: ${JSON.stringify(f)}\n${medusa!.output().slice(-3000)}`)
      await sleep(1000)
      f = await figuresFromDb(DB, sessionId, cartId)
    }
    figures.ordersChecked++
    if (f.captures > 1 || f.payments > 1 || f.orders > 1) figures.doubled++
    expect(f).toMatchObject({ orders: 1, payments: 1, captures: 1 })
    const record = await recordOf()
    expect(record).toMatchObject({ status: "paid", medusa_state: "captured" })
    expect(record.history.map((h: any) => h.source)).toContain("reconcile")
    expect(medusa!.output()).toMatch(/CoinGate reconciliation tick .*checked [1-9]/)
  })
})

import { Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { hasFeedProvider } from "../../src/payments/attention-notice"
import { REPO_ROOT, useSimulator } from "../helpers/stack"
import { captureOutput, createCart, orderOfCart, recordOf, seedStore, startCoinGatePayment, Store, waitFor } from "../helpers/store"

jest.setTimeout(180_000)

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

// medusa-config.ts: a notification module without any provider, so no `feed` channel.
const previous = process.env.NOTIFICATION_FEED
beforeAll(() => {
  process.env.NOTIFICATION_FEED = "off"
})
afterAll(() => {
  if (previous === undefined) delete process.env.NOTIFICATION_FEED
  else process.env.NOTIFICATION_FEED = previous
})

/** A store without a provider for the admin's feed: flags are recorded and payments applied, with no notice and no error. */
medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    it("applies payments and flags without notices, warnings or failed notification rows", async () => {
      expect(hasFeedProvider(getContainer())).toBe(false)
      const output = captureOutput(getContainer())
      try {
        const flagged = await startCoinGatePayment(api, store, (await createCart(getContainer(), store, 10.5)).id)
        expect((await sim().setStatus(flagged.coingateOrderId, "paid", { fields: { price_amount: "9.50" } })).status).toBe(200)
        expect(await recordOf(getContainer(), flagged.coingateOrderId)).toMatchObject({ attention: "amount_mismatch", medusa_state: "mismatch" })

        const cart = await createCart(getContainer(), store, 12)
        const paid = await startCoinGatePayment(api, store, cart.id)
        await sim().pay(paid.coingateOrderId)
        const order = await waitFor("the captured order", () => orderOfCart(getContainer(), cart.id).then((o) => (o?.captured ? o : null)))
        expect(order.captured).toBe(true)

        await new Promise((r) => setTimeout(r, 1500))
        expect(await getContainer().resolve(Modules.NOTIFICATION).listNotifications({})).toEqual([])
        expect(output.text()).not.toMatch(/notification/i)
      } finally {
        output.stop()
      }
    })
  },
})

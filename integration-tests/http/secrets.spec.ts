import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { captureOutput, completeCart, createCart, recordOf, seedStore, startCoinGatePayment, Store } from "../helpers/store"

jest.setTimeout(180_000)

const { sim } = useSimulator({ log: !!process.env.SIM_LOG })

/**
 * Neither the API token nor a callback token may reach the storefront (store API responses)
 * or the logs, along the paths that touch them: session creation, callbacks (good, forged,
 * failing), the shopper's return, the storefront's sync, cart completion and CoinGate errors.
 */
medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let store: Store
    beforeEach(async () => {
      sim().reset()
      store = await seedStore(getContainer())
    })

    it("keeps the API token and callback tokens out of every store API response and every log line", async () => {
      const output = captureOutput(getContainer())
      const responses: Array<{ what: string; body: unknown }> = []
      const keep = (what: string, res: { data: unknown; headers?: any }) => {
        responses.push({ what, body: { data: res.data, location: res.headers?.location ?? null } })
        return res
      }
      const callbackTokens: string[] = []
      try {
        // Two checkouts: one paid by callback, one by the shopper's return after failures.
        const a = await createCart(getContainer(), store, 10.5)
        const b = await createCart(getContainer(), store, 7)
        const { data: pc } = keep("create collection", await api.post("/store/payment-collections", { cart_id: a.id }, { headers: store.headers }))
        const created = keep(
          "create session",
          await api.post(
            `/store/payment-collections/${(pc as any).payment_collection.id}/payment-sessions`,
            { provider_id: "pp_coingate_coingate", data: { email: "shopper@example.com" } },
            { headers: store.headers }
          )
        )
        const sessionA = (created.data as any).payment_collection.payment_sessions[0]
        const orderA = sessionA.data.coingate_order_id
        const sessionB = await startCoinGatePayment(api, store, b.id)
        callbackTokens.push(sim().getOrder(orderA).token, sim().getOrder(sessionB.coingateOrderId).token)

        // Forged, then genuine callbacks (form and JSON).
        await sim().sendCallback(orderA, { overrides: { token: callbackTokens[1] } })
        await sim().pay(orderA, { confirm: false })
        await sim().setStatus(orderA, "paid", { callback: false })
        const viaJson = await sim().sendCallback(orderA, { format: "json" })
        responses.push({ what: "callback response", body: viaJson.body })

        // CoinGate failing (5xx), then refusing the API token (401): errors are logged.
        sim().injectFault({ method: "GET", path: /^\/v2\/orders\/\d+$/, kind: "503", times: 3 })
        keep("sync while CoinGate fails", await api.post(`/store/coingate/payment-sessions/${sessionB.session.id}/sync`, {}, { headers: store.headers, validateStatus: () => true }))
        const tokens = [...sim().options.apiTokens]
        sim().options.apiTokens.length = 0
        keep("return while the token is refused", await api.get(`/coingate/return/${sessionB.session.id}?outcome=success`, { maxRedirects: 0, validateStatus: () => true }))
        keep("complete while the token is refused", await completeCart(api, store, b.id))
        sim().options.apiTokens.push(...tokens)
        sim().injectFault({ method: "POST", path: "/v2/orders", kind: "500" })
        keep("session creation failing", await api.post(`/store/payment-collections/${sessionB.collectionId}/payment-sessions`, { provider_id: "pp_coingate_coingate" }, { headers: store.headers, validateStatus: () => true }))
        const replacement = await startCoinGatePayment(api, store, b.id)
        callbackTokens.push(sim().getOrder(replacement.coingateOrderId).token)

        // The shopper comes back paid; the storefront checks and reads its cart and order.
        await sim().setStatus(replacement.coingateOrderId, "paid", { callback: false })
        keep("return", await api.get(`/coingate/return/${replacement.session.id}?outcome=success`, { maxRedirects: 0, validateStatus: () => true }))
        keep("sync", await api.post(`/store/coingate/payment-sessions/${replacement.session.id}/sync`, {}, { headers: store.headers }))
        const fields = "*payment_collection,*payment_collection.payment_sessions"
        keep("cart a", await api.get(`/store/carts/${a.id}?fields=${fields}`, { headers: store.headers, validateStatus: () => true }))
        keep("cart b", await api.get(`/store/carts/${b.id}?fields=${fields}`, { headers: store.headers, validateStatus: () => true }))
        const completed = keep("complete", await completeCart(api, store, b.id))
        expect((completed.data as any).type).toBe("order")
        const orderId = (completed.data as any).order.id
        keep(
          "order",
          await api.get(`/store/orders/${orderId}?fields=*payment_collections,*payment_collections.payment_sessions,*payment_collections.payments`, {
            headers: store.headers,
            validateStatus: () => true,
          })
        )

        // What the plugin keeps (shown to admins) has no callback token either.
        for (const id of [orderA, replacement.coingateOrderId]) {
          const record = await recordOf(getContainer(), id)
          expect(record.snapshot).not.toHaveProperty("token")
          expect(JSON.stringify(record)).not.toContain(SIM_TOKEN)
        }
      } finally {
        output.stop()
      }

      expect(callbackTokens.every((t) => typeof t === "string" && t.length >= 32)).toBe(true)
      expect(responses.length).toBeGreaterThanOrEqual(12)
      const logs = output.text()
      expect(logs).toMatch(/CoinGate/) // the failures above were logged
      for (const secret of [SIM_TOKEN, ...callbackTokens]) {
        for (const { what, body } of responses) {
          expect({ what, leaks: JSON.stringify(body).includes(secret) }).toEqual({ what, leaks: false })
        }
        expect(logs.includes(secret)).toBe(false)
      }
    })
  },
})

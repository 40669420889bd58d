import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Migration20261203093013 } from "../../src/modules/coingate/migrations/Migration20261203093013"
import { REPO_ROOT, SIM_TOKEN, useSimulator } from "../helpers/stack"
import { adminClient, createCart, recordOf, seedStore } from "../helpers/store"
import { adminHeaders } from "../helpers/admin"
import { insertRecords, RECORD_TOKEN } from "../helpers/console"

jest.setTimeout(240_000)

// The operations console's list filters, paging, totals and CSV export (docs/admin.md), on records written
// through the plugin's module service: many of them, with the dates, statuses and amounts each test needs.
useSimulator({ log: !!process.env.SIM_LOG })

const seen: string[] = []
const DAY = 24 * 60 * 60 * 1000
const daysAgo = (n: number) => new Date(Date.now() - n * DAY)

medusaIntegrationTestRunner({
  cwd: REPO_ROOT,
  testSuite: ({ api, getContainer }) => {
    let headers: { authorization: string }
    const admin = adminClient(api, () => headers, seen)
    const ids = async (url: string) => {
      const res = await admin.get(url)
      expect([url, res.status]).toEqual([url, 200])
      return res.data.payments.map((p: any) => p.coingate_order_id) as string[]
    }

    let store: Awaited<ReturnType<typeof seedStore>>
    beforeEach(async () => {
      store = await seedStore(getContainer())
      headers = await adminHeaders(getContainer(), api, "console-admin@example.com")
    })

    afterAll(() => {
      expect(seen.length).toBeGreaterThan(10)
      for (const body of seen) for (const secret of [SIM_TOKEN, RECORD_TOKEN]) expect(body).not.toContain(secret)
    })

    it("pages newest first and applies each filter, counting with the same filters", async () => {
      const [a, b, c, d, e] = await insertRecords(getContainer(), [
        { created_at: daysAgo(50), status: "expired", medusa_state: "canceled", price_currency: "USD" },
        { created_at: daysAgo(40), status: "paid", medusa_state: "captured", pay_currency: "BTC", pay_amount: "0.00012" },
        { created_at: daysAgo(3), status: "paid", medusa_state: "orphaned", attention: "paid_for_replaced_session", pay_currency: "LTC", pay_amount: "0.5" },
        { created_at: daysAgo(2), status: "pending", medusa_state: "pending", pay_currency: "BTC", pay_amount: "0.001" },
        { created_at: daysAgo(1), status: "invalid", medusa_state: "captured", attention: "invalid" },
      ])
      const all = [e, d, c, b, a].map((r) => r.coingate_order_id)
      expect(await ids("/admin/coingate/payments")).toEqual(all)

      const page = await admin.get("/admin/coingate/payments?limit=2&offset=1")
      expect(page.data).toMatchObject({ count: 5, limit: 2, offset: 1, attention_count: 2 })
      expect(page.data.payments.map((p: any) => p.coingate_order_id)).toEqual(all.slice(1, 3))
      expect((await admin.get("/admin/coingate/payments?offset=5")).data).toMatchObject({ payments: [], count: 5 })

      const cases: [string, typeof a[]][] = [
        ["attention=true", [e, c]],
        ["attention=false", [d, b, a]],
        ["status=paid", [c, b]],
        ["status=paid,expired", [c, b, a]],
        ["medusa_state=captured", [e, b]],
        ["medusa_state=orphaned,canceled", [c, a]],
        [`created_from=${daysAgo(45).toISOString()}`, [e, d, c, b]],
        [`created_from=${daysAgo(45).toISOString()}&created_to=${daysAgo(2.5).toISOString()}`, [c, b]],
        [`created_to=${daysAgo(45).toISOString().slice(0, 10)}`, [a]], // a date-only end includes its day
        ["price_currency=usd", [a]],
        ["price_currency=EUR", [e, d, c, b]],
        ["pay_currency=BTC", [d, b]],
        ["pay_currency=btc&status=pending", [d]],
        ["attention=true&status=paid&pay_currency=LTC", [c]],
        ["status=refunded", []],
      ]
      for (const [query, expected] of cases) {
        const res = await admin.get(`/admin/coingate/payments?${query}&limit=3`)
        expect([query, res.data.payments.map((p: any) => p.coingate_order_id)]).toEqual([query, expected.slice(0, 3).map((r) => r.coingate_order_id)])
        expect([query, res.data.count, res.data.attention_count]).toEqual([query, expected.length, 2])
      }
      const row = (await admin.get("/admin/coingate/payments?pay_currency=BTC&status=paid")).data.payments[0]
      expect(row).toMatchObject({ pay_amount: "0.00012", pay_currency: "BTC", price_amount: "10.00", price_currency: "EUR" })
    })

    it("totals a period per status and per currency in exact decimals (0.1 + 0.2 = 0.30), 30 days by default", async () => {
      await insertRecords(getContainer(), [
        { status: "paid", price_amount: "0.1", price_currency: "EUR", created_at: daysAgo(1) },
        { status: "paid", price_amount: "0.2", price_currency: "EUR", created_at: daysAgo(2) },
        { status: "paid", price_amount: "0.00000001", price_currency: "BTC", created_at: daysAgo(3) },
        { status: "paid", price_amount: "0.00000002", price_currency: "BTC", created_at: daysAgo(4) },
        { status: "expired", price_amount: "99999999.99", price_currency: "EUR", created_at: daysAgo(5) },
        { status: "expired", price_amount: "0.01", price_currency: "EUR", created_at: daysAgo(6), attention: "paid_then_expired" },
        { status: "paid", price_amount: "1000", price_currency: "JPY", created_at: daysAgo(7) },
        { status: "paid", price_amount: "5", price_currency: "EUR", created_at: daysAgo(40) }, // before the default period
      ])
      // A row written by SQL alone (a benchmark's seed): the numeric columns, no raw value, no snapshot.
      await (getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION) as any)("coingate_payment").insert({
        id: "cgpay_sql_seeded",
        coingate_order_id: "800001",
        payment_session_id: "payses_sql_seeded",
        provider_id: "pp_coingate_coingate",
        status: "paid",
        medusa_state: "captured",
        history: JSON.stringify([]),
        price_amount: "0.05",
        price_currency: "JPY",
        pay_amount: "0.000001",
        pay_currency: "BTC",
        created_at: daysAgo(8),
      })
      const seeded = (await admin.get("/admin/coingate/payments?q=800001")).data.payments[0]
      expect(seeded).toMatchObject({ price_amount: "0.05", price_currency: "JPY", pay_amount: "0.000001", pay_currency: "BTC", dashboard_url: null })
      const res = await admin.get("/admin/coingate/payments/totals")
      expect(res.status).toBe(200)
      expect(Date.parse(res.data.to) - Date.parse(res.data.from)).toBe(30 * DAY)
      expect(res.data).toMatchObject({
        count: 8,
        by_status: [
          {
            status: "paid",
            count: 6,
            amounts: [
              { currency: "BTC", amount: "0.00000003" },
              { currency: "EUR", amount: "0.30" },
              { currency: "JPY", amount: "1000.05" }, // never rounded to the currency's digits
            ],
          },
          { status: "expired", count: 2, amounts: [{ currency: "EUR", amount: "100000000.00" }] },
        ],
        by_currency: [
          { currency: "BTC", count: 2, amount: "0.00000003" },
          { currency: "EUR", count: 4, amount: "100000000.30" },
          { currency: "JPY", count: 2, amount: "1000.05" },
        ],
      })

      const filtered = await admin.get(`/admin/coingate/payments/totals?created_from=${daysAgo(60).toISOString().slice(0, 10)}&status=paid&price_currency=EUR`)
      expect(filtered.data).toMatchObject({ count: 3, by_currency: [{ currency: "EUR", count: 3, amount: "5.30" }] })
      const flagged = await admin.get("/admin/coingate/payments/totals?attention=true")
      expect(flagged.data).toMatchObject({ count: 1, by_status: [{ status: "expired", count: 1, amounts: [{ currency: "EUR", amount: "0.01" }] }] })
      const none = await admin.get("/admin/coingate/payments/totals?status=refunded")
      expect(none.data).toMatchObject({ count: 0, by_status: [], by_currency: [] })
    })

    it("exports the filtered list as CSV: headers, columns, escaping and neutralised formulas", async () => {
      const [plain, tricky] = await insertRecords(getContainer(), [
        { created_at: daysAgo(2), email: "plain@example.com", cart_id: "cart_plain", order_id: "order_1", order_display_id: 7, pay_currency: "BTC", pay_amount: "0.00012" },
        { created_at: daysAgo(1), email: '=HYPERLINK("http://evil"),"x"@example.com', cart_id: "+cart,odd", attention: "amount_mismatch" },
        { created_at: daysAgo(1), status: "expired" }, // filtered out below
      ])
      const res = await api.get("/admin/coingate/payments/export?status=paid", { headers, responseType: "text", transformResponse: (x: string) => x, validateStatus: () => true })
      seen.push(res.data)
      expect(res.status).toBe(200)
      expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8")
      expect(res.headers["content-disposition"]).toBe(`attachment; filename="coingate-payments-${new Date().toISOString().slice(0, 10)}.csv"`)
      const lines = (res.data as string).split("\r\n")
      expect(lines.pop()).toBe("") // every line ends with CRLF
      expect(lines[0]).toBe(
        "id,coingate_order_id,dashboard_url,payment_session_id,provider_id,cart_id,email,order_id,order_display_id,status,medusa_state," +
          "price_amount,price_currency,pay_amount,pay_currency,underpaid_amount,overpaid_amount,attention,last_callback_at,last_synced_at,created_at"
      )
      expect(lines).toHaveLength(3)
      const trickyLine = lines[1]
      expect(trickyLine.startsWith(`${tricky.id},${tricky.coingate_order_id},http://127.0.0.1:1/invoice/${tricky.coingate_order_id},`)).toBe(true)
      expect(trickyLine).toContain(`,"'+cart,odd","'=HYPERLINK(""http://evil""),""x""@example.com",,,paid,captured,10.00,EUR,,,,,amount_mismatch,`)
      expect(lines[2]).toContain(`,cart_plain,plain@example.com,order_1,7,paid,captured,10.00,EUR,0.00012,BTC,,,,`)
      expect(lines[2].startsWith(`${plain.id},`)).toBe(true)

      const empty = await api.get("/admin/coingate/payments/export?status=refunded", { headers, responseType: "text", transformResponse: (x: string) => x })
      expect(empty.data.split("\r\n").filter(Boolean)).toHaveLength(1) // the header only
    })

    it("the migration's backfill fills records saved before the console's columns, from their snapshot and Medusa's order and cart", async () => {
      const container = getContainer()
      const cart = await createCart(container, store, 5)
      const [order] = await container.resolve(Modules.ORDER).createOrders([{ currency_code: "eur", email: "Buyer@Example.com", region_id: store.regionId }])
      const [withOrder, withCart, odd] = await insertRecords(container, [
        { order_id: order.id, price_amount: "10.5", price_currency: "EUR", pay_amount: "0.000123456789012345678", pay_currency: "BTC" },
        { cart_id: cart.id, price_amount: "7", price_currency: "EUR" },
        { price_amount: "1e5", price_currency: "EUR" },
      ])
      const db = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
      // As 0.2.0 left them: the columns empty, the snapshot (with lower-case codes, as CoinGate may answer) there.
      await db("coingate_payment").update({
        price_amount: null, raw_price_amount: null, price_currency: null, pay_amount: null, raw_pay_amount: null, pay_currency: null, email: null, order_display_id: null,
        snapshot: db.raw(`jsonb_set(jsonb_set("snapshot", '{price_currency}', to_jsonb(lower("snapshot"->>'price_currency'))), '{pay_currency}', coalesce(to_jsonb(lower("snapshot"->>'pay_currency')), 'null'::jsonb))`),
      })
      const migration = new Migration20261203093013({} as any, {} as any)
      await migration.up()
      const backfill = migration.getQueries().map(String).filter((sql) => /^\s*(update|do \$\$)/i.test(sql))
      expect(backfill).toHaveLength(2)
      // Run here through knex, which would turn a ? (even inside a string) into a $n placeholder: there is none.
      expect(backfill.join("\n")).not.toContain("?")
      for (const sql of backfill) await db.raw(sql)

      const displayId = (await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields: ["display_id"], filters: { id: order.id } })).data[0].display_id
      expect(await recordOf(container, withOrder.coingate_order_id)).toMatchObject({
        raw_price_amount: { value: "10.5" },
        price_currency: "EUR",
        raw_pay_amount: { value: "0.000123456789012345678" },
        pay_currency: "BTC",
        email: "buyer@example.com",
        order_display_id: displayId,
      })
      expect(await recordOf(container, withCart.coingate_order_id)).toMatchObject({ raw_price_amount: { value: "7" }, price_currency: "EUR", email: "shopper@example.com", pay_currency: null })
      expect(await recordOf(container, odd.coingate_order_id)).toMatchObject({ raw_price_amount: null, price_currency: "EUR" })
      const row = (await admin.get(`/admin/coingate/payments?q=${withOrder.coingate_order_id}`)).data.payments[0]
      expect(row).toMatchObject({ price_amount: "10.50", pay_amount: "0.000123456789012345678", email: "buyer@example.com", order_display_id: displayId })
    })

    it("exports 2,500 records completely, each once, newest first (pages by keyset, not all in memory)", async () => {
      const base = Date.now() - 10 * DAY
      const inputs = Array.from({ length: 2500 }, (_, i) => ({
        // Threes share a timestamp: the keyset's id breaks the tie, so no row is skipped or repeated at a page edge.
        created_at: new Date(base + Math.floor(i / 3) * 1000),
        price_amount: `${i}.01`,
        email: `shopper${i}@example.com`,
      }))
      for (let i = 0; i < inputs.length; i += 500) await insertRecords(getContainer(), inputs.slice(i, i + 500))
      const res = await api.get("/admin/coingate/payments/export", { headers, responseType: "text", transformResponse: (x: string) => x })
      seen.push(res.data)
      const rows = (res.data as string).split("\r\n").filter(Boolean).slice(1).map((l) => l.split(","))
      expect(rows).toHaveLength(2500)
      expect(new Set(rows.map((r) => r[0])).size).toBe(2500)
      const created = rows.map((r) => Date.parse(r[20]))
      expect(created.every((t, i) => i === 0 || t <= created[i - 1])).toBe(true)
      expect(new Set(rows.map((r) => r[6]))).toEqual(new Set(inputs.map((r) => r.email)))

      const list = await admin.get("/admin/coingate/payments?limit=100")
      expect(list.data).toMatchObject({ count: 2500, limit: 100 })
      expect(list.data.payments).toHaveLength(100)
      const totals = await admin.get("/admin/coingate/payments/totals")
      // Σ (i + 0.01) for i < 2500 = 3,123,750 + 25
      expect(totals.data.by_currency).toEqual([{ currency: "EUR", count: 2500, amount: "3123775.00" }])
    })
  },
})

// @ts-check
"use strict"

const { startSimulator } = require("..")
const { client, startReceiver, waitUntil } = require("./helpers")

/** @type {any} */
let sim
/** @type {import("axios").AxiosInstance} */
let api
/** @type {Awaited<ReturnType<typeof startReceiver>>} */
let receiver

const EUR_ACCOUNT = "01JNQWKKJ6WXN8BZT1Y66B6EUR"
const BTC_ACCOUNT = "01JNQWKKJ6WXN8BZT1Y66B6BTC"

beforeAll(async () => {
  sim = await startSimulator({ apiTokens: ["sim_token"], retryDelaysMs: [20, 20, 20] })
  api = client(sim.url, "sim_token")
  receiver = await startReceiver()
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})
beforeEach(() => {
  sim.reset()
  receiver.received.length = 0
  receiver.setResponder(() => ({ status: 200, body: "ok" }))
})

/** A paid 100 EUR order (no order callback URL, so only refund callbacks reach the receiver unless asked). */
async function paidOrder(body = {}) {
  const res = await api.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "100.00", price_currency: "EUR", title: "Order #1", order_id: "payses_1", ...body })
  await sim.setStatus(res.data.id, "paid", { callback: false })
  return res.data.id
}

const refundBody = (over = {}) => ({
  amount: "25.00",
  address: "bc1qrefundaddress",
  currency_id: 1,
  platform_id: 2,
  reason: "Damaged item",
  email: "shopper@example.com",
  ledger_account_id: EUR_ACCOUNT,
  callback_url: `${receiver.url}/refunds/tok`,
  ...over,
})

describe("refund options", () => {
  it("lists the coins and networks refunds can be paid in, stablecoins on two networks", async () => {
    const res = await api.get("/v2/refunds/supported-currencies")
    expect(res.status).toBe(200)
    const usdt = res.data.find((c) => c.symbol === "USDT")
    expect(usdt.platforms.map((p) => p.id_name)).toEqual(["ethereum", "tron"])
    expect(res.data.find((c) => c.symbol === "BTC")).toMatchObject({ id: 1, platforms: [{ id: 2, title: "Bitcoin" }] })
  })

  it("lists ledger accounts in CoinGate's paginated shape", async () => {
    const res = await api.get("/v2/ledger/accounts")
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({ current_page: 1, total_accounts: 3, total_pages: 1 })
    expect(res.data.accounts[0]).toMatchObject({ id: EUR_ACCOUNT, status: "active", account_type: "main", currency: { symbol: "EUR", kind: "fiat" } })
    expect((await api.get(`/v2/ledger/accounts/${BTC_ACCOUNT}`)).data.currency.symbol).toBe("BTC")
    expect((await api.get("/v2/ledger/accounts/nope")).status).toBe(404)
  })
})

describe("creating refunds", () => {
  it("creates a pending refund with CoinGate's fields and posts the creation callback", async () => {
    const id = await paidOrder()
    const res = await api.post(`/v2/orders/${id}/refunds`, refundBody({ address_memo: "memo-1" }))
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({
      status: "pending",
      request_amount: "25.0",
      refund_amount: "0.0005",
      address: "bc1qrefundaddress",
      memo: "memo-1",
      processor: "coingate",
      refund_currency: { id: 1, symbol: "BTC", platform: { id: 2, title: "Bitcoin" } },
      ledger_account: { id: EUR_ACCOUNT, currency: { symbol: "EUR" } },
      balance_debit_amount: "25.0",
      order: { id, price_amount: "100.0", price_currency: { symbol: "EUR" } },
      transactions: [],
    })
    expect(res.data).not.toHaveProperty("rejection_reason")
    const [cb] = await receiver.waitFor(1)
    expect(cb.url).toBe("/hooks/coingate/refunds/tok")
    expect(cb.body).toMatchObject({
      id: String(res.data.id),
      order_id: String(id),
      status: "pending",
      request_amount: "25.0",
      request_currency: { symbol: "EUR" },
      refund_currency: { symbol: "BTC", platform: { title: "Bitcoin" } },
      email: "shopper@example.com",
      reason: "Damaged item",
      additional_address_field: "memo-1",
      ledger_account: { id: EUR_ACCOUNT },
    })
    expect(cb.body).not.toHaveProperty("compliance_rejection_reason")
    expect(sim.getOrder(id).refunds).toHaveLength(1)
  })

  it("refuses invalid refunds with 422 RefundIsNotValid", async () => {
    const id = await paidOrder()
    const cases = [
      [refundBody({ amount: "0.50" }), /higher than 1.0 EUR/],
      [refundBody({ amount: "100.01" }), /refundable amount/],
      [refundBody({ amount: "10.001" }), /more decimals/],
      [refundBody({ currency_id: 1, platform_id: 6 }), /not supported/],
      [refundBody({ ledger_account_id: "nope" }), /Ledger account is invalid/],
      [refundBody({ address: "" }), /Address can't be blank/],
      [refundBody({ email: "not-an-email" }), /Email is invalid/],
    ]
    for (const [body, message] of cases) {
      const res = await api.post(`/v2/orders/${id}/refunds`, body)
      expect(res.status).toBe(422)
      expect(res.data).toMatchObject({ message: "Refund is not valid", reason: "RefundIsNotValid" })
      expect(res.data.errors.join("; ")).toMatch(message)
    }
    const unpaid = (await api.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "50", price_currency: "EUR", title: "Order #2" })).data.id
    const notPaid = await api.post(`/v2/orders/${unpaid}/refunds`, refundBody())
    expect(notPaid.status).toBe(422)
    expect(notPaid.data.errors.join()).toMatch(/only paid orders/)
    expect((await api.post("/v2/orders/999999/refunds", refundBody())).status).toBe(404)
    expect(sim.listRefunds()).toHaveLength(0)
  })

  it("accepts form bodies and counts earlier refunds against what is refundable", async () => {
    const id = await paidOrder()
    const form = new URLSearchParams({ ...refundBody({ amount: "60" }), currency_id: "4", platform_id: "6" }).toString()
    const first = await api.post(`/v2/orders/${id}/refunds`, form, { headers: { "Content-Type": "application/x-www-form-urlencoded" } })
    expect(first.status).toBe(200)
    expect(first.data.refund_currency).toMatchObject({ symbol: "USDT", platform: { title: "Tron" } })
    const second = await api.post(`/v2/orders/${id}/refunds`, refundBody({ amount: "40.01" }))
    expect(second.status).toBe(422)
    await sim.setRefundStatus(first.data.id, "rejected", { callback: false })
    expect((await api.post(`/v2/orders/${id}/refunds`, refundBody({ amount: "100" }))).status).toBe(200)
  })
})

describe("refund statuses", () => {
  it("completes a partial then a full refund: transactions, ledger debit, parent order partially_refunded then refunded with callbacks", async () => {
    const orderReceiver = await startReceiver()
    try {
      const res = await api.post("/v2/orders", { title: "Test order", description: "1 x Test item", price_amount: "100.00", price_currency: "EUR", title: "Order #3", order_id: "payses_3", callback_url: orderReceiver.url, token: "t" })
      const id = res.data.id
      await sim.setStatus(id, "paid", { callback: false })
      const a = (await api.post(`/v2/orders/${id}/refunds`, refundBody({ amount: "30.00" }))).data
      const b = (await api.post(`/v2/orders/${id}/refunds`, refundBody({ amount: "70.00" }))).data
      await receiver.waitFor(2)

      await sim.setRefundStatus(a.id, "processing")
      const first = await sim.setRefundStatus(a.id, "completed")
      expect(first.status).toBe(200)
      await orderReceiver.waitFor(1)
      expect(orderReceiver.received[0].body).toMatchObject({ status: "partially_refunded", id: String(id) })
      expect(sim.getOrder(id).status).toBe("partially_refunded")
      const read = (await api.get(`/v2/orders/${id}/refunds/${a.id}`)).data
      expect(read.status).toBe("completed")
      expect(read.transactions).toHaveLength(1)
      expect(read.transactions[0]).toMatchObject({ amount: "0.0006", status: "confirmed" })
      expect((await api.get("/v2/ledger/accounts")).data.accounts[0].balance).toBe("100069.0") // 100000 + 99 settled by the paid order (100 less the 1 % fee) - 30 refunded

      await sim.setRefundStatus(b.id, "completed")
      await orderReceiver.waitFor(2)
      expect(orderReceiver.received[1].body.status).toBe("refunded")
      const order = (await api.get(`/v2/orders/${id}`)).data
      expect(order.status).toBe("refunded")
      expect(order.refunds.map((r) => r.status)).toEqual(["completed", "completed"])
      const ours = new Set([String(a.id), String(b.id)])
      const statuses = receiver.received.filter((r) => ours.has(String(r.body.id))).map((r) => `${r.body.id}:${r.body.status}`)
      expect(statuses).toEqual([`${a.id}:pending`, `${b.id}:pending`, `${a.id}:processing`, `${a.id}:completed`, `${b.id}:completed`])
    } finally {
      await orderReceiver.close()
    }
  })

  it("rejects with CoinGate's rejection reason, in the object and as compliance_rejection_reason in the callback (JSON)", async () => {
    const id = await paidOrder()
    const r = (await api.post(`/v2/orders/${id}/refunds`, refundBody())).data
    await receiver.waitFor(1)
    await sim.sendRefundCallback(r.id, { format: "json" })
    await sim.setRefundStatus(r.id, "rejected", { rejection_reason: "Address failed screening", rejection_type: "compliance" })
    const got = await receiver.waitFor(3)
    expect(got[1].headers["content-type"]).toMatch(/application\/json/)
    expect(got[1].body.id).toBe(r.id)
    expect(got[2].body).toMatchObject({ status: "rejected", compliance_rejection_reason: "Address failed screening" })
    const read = (await api.get(`/v2/orders/${id}/refunds/${r.id}`)).data
    expect(read).toMatchObject({ status: "rejected", rejection_type: "compliance", rejection_reason: "Address failed screening" })
    expect(sim.getOrder(id).status).toBe("paid")
  })

  it("retries refund callbacks like order callbacks and stops on 401/403/301/302", async () => {
    const id = await paidOrder()
    let n = 0
    receiver.setResponder(() => ({ status: ++n < 3 ? 503 : 200 }))
    await api.post(`/v2/orders/${id}/refunds`, refundBody())
    await receiver.waitFor(3)
    await waitUntil(() => sim.callbackLog.some((c) => c.outcome === "delivered"))
    expect(sim.callbackLog.map((c) => c.outcome)).toEqual(["retrying", "retrying", "delivered"])
    expect(String(sim.callbackLog[0].orderId)).toMatch(/^refund:/)

    receiver.received.length = 0
    receiver.setResponder(() => ({ status: 403 }))
    const r = sim.listRefunds()[0]
    const first = await sim.setRefundStatus(r.id, "processing")
    expect(first.status).toBe(403)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(receiver.received).toHaveLength(1)
  })

  it("lists and reads refunds; unknown ones are 404 RefundNotFound", async () => {
    const id = await paidOrder()
    const other = await paidOrder({ order_id: "payses_2" })
    const r = (await api.post(`/v2/orders/${id}/refunds`, refundBody())).data
    await api.post(`/v2/orders/${other}/refunds`, refundBody({ amount: "5" }))
    const list = (await api.get(`/v2/orders/${id}/refunds`)).data
    expect(list).toMatchObject({ current_page: 1, total_refunds: 1, total_pages: 1 })
    expect(list.refunds[0].id).toBe(r.id)
    expect((await api.get("/v2/refunds?per_page=1")).data).toMatchObject({ total_refunds: 2, total_pages: 2, per_page: 1 })
    expect((await api.get(`/v2/orders/${other}/refunds/${r.id}`)).data.reason).toBe("RefundNotFound")
    expect((await api.get(`/v2/orders/${id}/refunds/424242`)).status).toBe(404)
  })
})

describe("payouts (send requests)", () => {
  async function payoutSetting(currencyId = 1, platformId = 2) {
    const b = await api.post("/v2/beneficiaries", {
      beneficiary_type: "person", email: "shopper@example.com", country: "LTU", person: { first_name: "Ada", surname: "Shopper" },
      currency_id: currencyId, platform_id: platformId, crypto_address: "bc1qshopper",
    })
    expect(b.status).toBe(200)
    expect(b.data.beneficiary_payout_settings).toHaveLength(1)
    return { ...b.data.beneficiary_payout_settings[0], beneficiary_id: b.data.id }
  }
  const sendBody = (settingId, over = {}) => ({
    ledger_account_id: BTC_ACCOUNT, beneficiary_payout_setting_id: settingId, amount: "50.00", amount_currency_id: 11,
    purpose: "Refund of order 1", external_id: "ref_01", callback_url: `${receiver.url}/send-requests/tok`, ...over,
  })

  it("validates beneficiaries and payout settings", async () => {
    const bad = await api.post("/v2/beneficiaries", { beneficiary_type: "person", email: "a@b.co", country: "LTU", currency_id: 1, platform_id: 4, crypto_address: "x" })
    expect(bad.status).toBe(422)
    expect(Object.keys(bad.data.errors)).toEqual(["person[first_name]", "person[surname]", "platform_id"])
    const setting = await payoutSetting()
    const more = await api.post("/v2/beneficiary_payout_settings", { beneficiary_id: setting.beneficiary_id, currency_id: 4, platform_id: 6, crypto_address: "T123", crypto_address_metadata: "tag" })
    expect(more.data).toMatchObject({ beneficiary_id: setting.beneficiary_id, currency: { symbol: "USDT" }, platform: { id_name: "tron" }, crypto_address_metadata: "tag" })
    expect((await api.get(`/v2/beneficiaries/${setting.beneficiary_id}`)).data.beneficiary_payout_settings).toHaveLength(2)
    expect((await api.get("/v2/beneficiary_payout_settings")).data.total_records).toBe(2)
    expect((await api.get(`/v2/beneficiary_payout_settings/${more.data.id}`)).data.id).toBe(more.data.id)
  })

  it("sends BTC from the BTC account without exchange: in_progress, then processing and completed with a transaction", async () => {
    const setting = await payoutSetting()
    const res = await api.post("/v2/send_requests", sendBody(setting.id))
    expect(res.status).toBe(200)
    expect(res.data).toMatchObject({
      status: "in_progress",
      external_id: "ref_01",
      input_amount: "50.0",
      input_currency: { symbol: "EUR" },
      sending_amount: "0.001",
      sending_currency: { symbol: "BTC" },
      balance_debit_currency: { symbol: "BTC" },
      beneficiary_payout_setting: { id: setting.id, crypto_address: "bc1qshopper" },
      requires_2fa_confirmation: false,
    })
    expect(res.data).not.toHaveProperty("actions_required")
    await sim.setSendRequestStatus(res.data.id, "processing")
    await sim.setSendRequestStatus(res.data.id, "completed")
    const got = await receiver.waitFor(3)
    expect(got.map((r) => r.body.status)).toEqual(["in_progress", "processing", "completed"])
    expect(got[2].body.blockchain_transactions[0]).toMatchObject({ status: "confirmed", amount: "0.001" })
    expect(got[2].url).toBe("/hooks/coingate/send-requests/tok")
    const dup = await api.post("/v2/send_requests", sendBody(setting.id))
    expect(dup.status).toBe(422)
    expect(dup.data).toMatchObject({ reason: "SendRequestIsNotValid" })
    expect(dup.data.errors.join()).toMatch(/already been taken/)
    const long = await api.post("/v2/send_requests", sendBody(setting.id, { external_id: "x".repeat(51) }))
    expect(long.data.errors.join()).toMatch(/maximum is 50/)
  })

  it("asks to confirm an exchange when the coin differs from the ledger currency: confirm moves on, cancel cancels, silence expires", async () => {
    const setting = await payoutSetting()
    const a = (await api.post("/v2/send_requests", sendBody(setting.id, { ledger_account_id: EUR_ACCOUNT, external_id: "a" }))).data
    expect(a.status).toBe("draft")
    expect(a.actions_required.confirm).toBe(`${sim.url}/api/v2/send_requests/${a.id}/confirm`)
    expect(a.fees).toHaveProperty("conversion_fee")
    const confirmed = await api.patch(`/v2/send_requests/${a.id}/confirm`)
    expect(confirmed.data.status).toBe("in_progress")
    expect(confirmed.data).not.toHaveProperty("actions_required")
    expect((await api.patch(`/v2/send_requests/${a.id}/confirm`)).status).toBe(422)

    const b = (await api.post("/v2/send_requests", sendBody(setting.id, { ledger_account_id: EUR_ACCOUNT, external_id: "b" }))).data
    expect((await api.patch(`/v2/send_requests/${b.id}/cancel`)).data.status).toBe("canceled")

    sim.setPayoutOptions({ exchangeTtlMs: 30 })
    const c = (await api.post("/v2/send_requests", sendBody(setting.id, { ledger_account_id: EUR_ACCOUNT, external_id: "c" }))).data
    await waitUntil(() => sim.getSendRequest(c.id).status === "expired")
    await waitUntil(() => receiver.received.some((r) => String(r.body.id) === String(c.id) && r.body.status === "expired"))
  })

  it("waits for 2FA in the dashboard when the API app requires it (draft, requires_2fa_confirmation)", async () => {
    sim.setPayoutOptions({ payout2fa: true })
    const setting = await payoutSetting()
    const r = (await api.post("/v2/send_requests", sendBody(setting.id))).data
    expect(r).toMatchObject({ status: "draft", requires_2fa_confirmation: true })
    expect(r).not.toHaveProperty("actions_required")
    await sim.setSendRequestStatus(r.id, "in_progress")
    expect((await api.get(`/v2/send_requests/${r.id}`)).data).toMatchObject({ status: "in_progress", requires_2fa_confirmation: false })
    sim.reset()
    expect(sim.payouts.options.payout2fa).toBe(false)
  })

  it("lists send requests, 404s unknown ones, and drives everything through the control API", async () => {
    const setting = await payoutSetting()
    const r = (await api.post("/v2/send_requests", sendBody(setting.id))).data
    expect((await api.get("/v2/send_requests")).data).toMatchObject({ total_records: 1, send_requests: [{ id: r.id }] })
    expect((await api.get("/v2/send_requests/4242")).data.reason).toBe("SendRequestNotFound")
    expect((await client(sim.url, null).get("/v2/send_requests/supported-currencies")).status).toBe(200)

    const ctl = client(sim.url, null)
    for (const status of ["processing", "failed"]) {
      const res = await ctl.post(`/__sim/send-requests/${r.id}/status`, { status })
      expect(res.data.send_request.status).toBe(status)
    }
    expect((await ctl.post(`/__sim/send-requests/${r.id}/status`, { status: "nope" })).status).toBe(400)
    expect((await ctl.get("/__sim/send-requests")).data).toHaveLength(1)
    expect((await ctl.post("/__sim/payout-options", { payoutExchange: "always" })).data.payoutExchange).toBe("always")

    const id = await paidOrder()
    const refund = (await api.post(`/v2/orders/${id}/refunds`, refundBody())).data
    const rejected = await ctl.post(`/__sim/refunds/${refund.id}/status`, { status: "rejected", rejection_reason: "no" })
    expect(rejected.data.refund).toMatchObject({ status: "rejected", rejection_reason: "no" })
    expect((await ctl.get("/__sim/refunds")).data).toHaveLength(1)
    expect((await ctl.get("/__sim/refunds/999999")).status).toBe(404)
  })
})

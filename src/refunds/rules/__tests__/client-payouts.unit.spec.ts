import http from "http"
import type { AddressInfo } from "net"
import { CoinGateApiError, CoinGateClient } from "../../../coingate/client"
import { beneficiaryBody } from "../beneficiary"

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startSimulator } = require("../../../../simulator")

/**
 * The payout path's requests as they reach the simulator (which takes CoinGate's documented shape,
 * simulator/__tests__/beneficiaries.unit.spec.js): form-encoded, a person[...] with an alpha-3 country,
 * and CoinGate's errors-by-field 422 read into messages.
 */
let sim: any
beforeAll(async () => {
  sim = await startSimulator({ apiTokens: ["cg_unit_payout_token"] })
})
afterAll(() => sim.close())
beforeEach(() => sim.reset())

const client = () => new CoinGateClient({ apiOrigin: sim.url, apiToken: "cg_unit_payout_token", timeoutMs: 2000, backoffMs: 5 })
const ada = { email: "shopper@example.com", first_name: "Ada", last_name: "Shopper", country: "LTU", currency_id: 1, platform_id: 2, address: "bc1qshopper" }

describe("payout requests", () => {
  it("posts the beneficiary, a payout setting and a send request form-encoded, in the documented shape", async () => {
    const c = client()
    const beneficiary = await c.createBeneficiary(beneficiaryBody(ada))
    expect(beneficiary).toMatchObject({ first_name: "Ada", surname: "Shopper", country: "LTU" })
    const setting = await c.createPayoutSetting({ beneficiary_id: beneficiary.id, currency_id: 4, platform_id: 6, crypto_address: "T123", crypto_address_metadata: "tag" })
    expect(setting).toMatchObject({ beneficiary_id: beneficiary.id, crypto_address_metadata: "tag" })
    const sent = await c.createSendRequest({
      ledger_account_id: "01JNQWKKJ6WXN8BZT1Y66B6BTC", beneficiary_payout_setting_id: beneficiary.beneficiary_payout_settings![0].id,
      amount: "5.00", amount_currency_id: 11, purpose: "Refund", external_id: "ref_unit_1",
    })
    expect(sent).toMatchObject({ external_id: "ref_unit_1", input_amount: "5.0" })

    const log = sim.requestLog.filter((r: any) => r.method === "POST")
    expect(log.map((r: any) => r.path)).toEqual(["/v2/beneficiaries", "/v2/beneficiary_payout_settings", "/v2/send_requests"])
    // As parsed from the form: nested person[...], numbers as text.
    expect(sim.payouts.received.map((r: any) => r.body)).toEqual([
      { beneficiary_type: "person", person: { first_name: "Ada", surname: "Shopper" }, email: "shopper@example.com", country: "LTU", currency_id: "1", platform_id: "2", crypto_address: "bc1qshopper" },
      { beneficiary_id: String(beneficiary.id), currency_id: "4", platform_id: "6", crypto_address: "T123", crypto_address_metadata: "tag" },
      expect.objectContaining({ amount: "5.00", amount_currency_id: "11", external_id: "ref_unit_1" }),
    ])
  })

  it("reads CoinGate's beneficiary errors (by field) into messages", async () => {
    const error = await client()
      .createBeneficiary({ ...beneficiaryBody(ada), person: undefined, country: "LT" })
      .catch((e) => e)
    expect(error).toBeInstanceOf(CoinGateApiError)
    expect(error).toMatchObject({ status: 422, reason: "BeneficiaryIsNotValid", transient: false })
    expect(error.errors).toEqual(["person[first_name] can't be blank", "person[surname] can't be blank", "country must be an ISO 3166-1 alpha-3 code"])
  })

  it("refuses an answer that is not what was asked for: another external_id", async () => {
    // A stand-in that answers every request with another send request (a proxy's cache, a mix-up).
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ id: 77, status: "draft", external_id: "someone_else" }))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()))
    try {
      const c = new CoinGateClient({ apiOrigin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiToken: "t", timeoutMs: 2000 })
      const error = await c
        .createSendRequest({ ledger_account_id: "01JN", beneficiary_payout_setting_id: 2, amount: "5.00", amount_currency_id: 11, purpose: "Refund", external_id: "ref_unit_2" })
        .catch((e) => e)
      expect(error.message).toMatch(/external_id other than the one sent/)
    } finally {
      server.close()
    }
  })
})

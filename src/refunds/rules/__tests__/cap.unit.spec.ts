import { capError, capFigures, CapMoney, owedMedusaRefunds, sumAmounts } from "../cap"

/** Issue 22, finding 3: one cap over everything that may have left a payment. */
const base: CapMoney = { currencyCode: "EUR", captured: "10.50", medusaRefunds: [], records: [], pending: [] }

describe("the cap", () => {
  it("allows up to what was captured", () => {
    expect(capFigures(base)).toEqual({ committed: "0.00", room: "10.50", medusaRoom: "10.50" })
    expect(capError(base, { amount: "10.50", purpose: "new" })).toBeNull()
    expect(capError(base, { amount: "10.51", purpose: "new" })).toMatch(/10.50 EUR of 10.50 captured/)
    expect(capError(base, { amount: "0.00", purpose: "new" })).toMatch(/greater than 0/)
  })

  it("counts intents in flight and of unknown outcome (finding 3: 10.50 unknown leaves nothing, not 10.50)", () => {
    const unknown = { ...base, pending: [{ medusa_refund_id: null, amount: "10.50" }] }
    expect(capFigures(unknown).room).toBe("0.00")
    expect(capError(unknown, { amount: "10.49", purpose: "new" })).toMatch(/0.00 EUR of 10.50 captured/)
    expect(capError({ ...base, pending: [{ medusa_refund_id: null, amount: "5.00" }] }, { amount: "5.51", purpose: "new" })).toMatch(/5.50 EUR/)
  })

  it("counts a CoinGate refund Medusa also records once, and one Medusa could not record all the same", () => {
    const linked = { ...base, medusaRefunds: [{ id: "ref_1", amount: "4.00" }], records: [{ medusa_refund_id: "ref_1", amount: "4.00", sent: true }] }
    expect(capFigures(linked)).toMatchObject({ committed: "4.00", room: "6.50", medusaRoom: "6.50" })
    const unrecorded = { ...base, records: [{ medusa_refund_id: null, amount: "9.00", sent: true }] }
    expect(capFigures(unrecorded).room).toBe("1.50")
  })

  it("finding 4: a Medusa refund of its own (owed) plus an admin refund made at CoinGate leave no room to pay the owed one", () => {
    const race = { ...base, medusaRefunds: [{ id: "ref_B", amount: "9.00" }], records: [{ medusa_refund_id: null, amount: "9.00", sent: true }] }
    expect(capError(race, { amount: "9.00", purpose: "settle", medusaRefundId: "ref_B" })).toMatch(/1.50 EUR of 10.50 captured/)
  })

  it("lets an owed Medusa refund be paid once, never beyond the capture", () => {
    const owed = { ...base, medusaRefunds: [{ id: "ref_M", amount: "10.50" }] }
    expect(capError(owed, { amount: "10.50", purpose: "settle", medusaRefundId: "ref_M" })).toBeNull()
    // A new refund finds no room: the owed one is counted.
    expect(capError(owed, { amount: "0.01", purpose: "new" })).toMatch(/0.00 EUR/)
    const paid = { ...owed, records: [{ medusa_refund_id: "ref_M", amount: "10.50", sent: true }] }
    expect(capError(paid, { amount: "10.50", purpose: "settle", medusaRefundId: "ref_M" })).toMatch(/0.00 EUR of 10.50/)
    // An injected 900.00 Medusa refund on a 5.00 capture is capped by the capture.
    const injected = { ...base, captured: "5.00", medusaRefunds: [{ id: "ref_X", amount: "900.00" }] }
    expect(capError(injected, { amount: "900.00", purpose: "settle", medusaRefundId: "ref_X" })).toMatch(/5.00 EUR of 5.00 captured/)
  })

  it("frees what CoinGate ended without sending, but a new Medusa refund still needs Medusa's room", () => {
    const rejected = { ...base, medusaRefunds: [{ id: "ref_1", amount: "10.50" }], records: [{ medusa_refund_id: "ref_1", amount: "10.50", sent: false }] }
    expect(capFigures(rejected)).toMatchObject({ room: "10.50", medusaRoom: "0.00" })
    expect(capError(rejected, { amount: "1.00", purpose: "new" })).toMatch(/more than what can still be refunded \(0.00 EUR\)/)
  })

  it("adds exactly in the currency's precision", () => {
    expect(sumAmounts(["0.10", "0.20", "7.25"], "EUR")).toBe("7.55")
    expect(sumAmounts([], "JPY")).toBe("0")
    expect(sumAmounts(["1.005", "2.001"], "KWD")).toBe("3.006")
  })
})

describe("what is still owed on Medusa's own refunds (CoinGate money no Medusa row records pays them first)", () => {
  it("a 5.25 refund made at CoinGate that Medusa could not record, then a 10.50 cancel: 5.25 owed, not 10.50", () => {
    const m: CapMoney = {
      ...base,
      medusaRefunds: [{ id: "ref_cancel", amount: "10.50" }],
      records: [{ medusa_refund_id: null, amount: "5.25", sent: true }],
    }
    expect(owedMedusaRefunds(m)).toEqual([{ id: "ref_cancel", amount: "10.50", owed: "5.25" }])
    // Money that may still leave: 5.25 made + 5.25 owed = all of the capture, never 15.75.
    expect(capFigures(m)).toMatchObject({ committed: "10.50", room: "0.00" })
    expect(capError(m, { amount: "5.25", purpose: "settle", medusaRefundId: "ref_cancel" })).toBeNull()
    expect(capError(m, { amount: "5.26", purpose: "settle", medusaRefundId: "ref_cancel" })).toMatch(/5.25 EUR of 10.50/)
  })

  it("pays the oldest owed refunds first, an unknown intent counting as sent", () => {
    const m: CapMoney = {
      ...base,
      medusaRefunds: [
        { id: "ref_1", amount: "1.46" },
        { id: "ref_2", amount: "9.04" },
      ],
      records: [{ medusa_refund_id: null, amount: "0.83", sent: true }],
      pending: [{ medusa_refund_id: null, amount: "1.00" }],
    }
    expect(owedMedusaRefunds(m)).toEqual([
      { id: "ref_1", amount: "1.46", owed: "0.00" },
      { id: "ref_2", amount: "9.04", owed: "8.67" },
    ])
    expect(capFigures(m).committed).toBe("10.50")
  })

  it("a refund CoinGate ended without sending pays nothing; a linked one pays only its own row", () => {
    const m: CapMoney = {
      ...base,
      medusaRefunds: [
        { id: "ref_form", amount: "2.00" },
        { id: "ref_cancel", amount: "3.00" },
      ],
      records: [
        { medusa_refund_id: "ref_form", amount: "2.00", sent: true },
        { medusa_refund_id: null, amount: "1.00", sent: false },
      ],
    }
    expect(owedMedusaRefunds(m)).toEqual([{ id: "ref_cancel", amount: "3.00", owed: "3.00" }])
  })

  it("a CoinGate refund Medusa recorded only part of (its row is smaller): the rest pays the owed refunds, and the books add up", () => {
    // A 3.58 Refund-button refund raced a 7.66 form: Medusa recorded 4.08 of the 7.66, the other 3.58 paid the button's refund.
    const m: CapMoney = {
      ...base,
      medusaRefunds: [
        { id: "ref_button", amount: "3.58" },
        { id: "ref_form", amount: "4.08" },
      ],
      records: [{ id: "cgref_1", medusa_refund_id: "ref_form", amount: "7.66", sent: true }],
    }
    expect(owedMedusaRefunds(m)).toEqual([{ id: "ref_button", amount: "3.58", owed: "0.00" }])
    expect(capFigures(m)).toMatchObject({ committed: "7.66", room: "2.84", medusaRoom: "2.84" })
    // A row that records all of it: nothing left over to pay anything.
    const all = { ...m, records: [{ medusa_refund_id: "ref_form", amount: "4.08", sent: true }] }
    expect(owedMedusaRefunds(all)).toEqual([{ id: "ref_button", amount: "3.58", owed: "3.58" }])
  })

  it("a Medusa refund paid through CoinGate for less than its amount (the pool paid the rest) takes that share of the pool first", () => {
    // 1.00 CoinGate refund Medusa refused (pool), then Medusa's 3.00 paid through CoinGate for the 2.00 owed on it:
    // the 1.00 is already spent on the 3.00, so the 4.00 cancel owes all of its 4.00 (not 3.00: no money counts twice).
    const m: CapMoney = {
      ...base,
      medusaRefunds: [
        { id: "ref_button", amount: "3.00" },
        { id: "ref_cancel", amount: "4.00" },
      ],
      records: [
        { medusa_refund_id: null, amount: "1.00", sent: true, purpose: "new" },
        { medusa_refund_id: "ref_button", amount: "2.00", sent: true, purpose: "settle" },
      ],
    }
    expect(owedMedusaRefunds(m)).toEqual([{ id: "ref_cancel", amount: "4.00", owed: "4.00" }])
    expect(capFigures(m)).toMatchObject({ committed: "7.00", room: "3.50" })
  })
})

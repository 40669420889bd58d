import { formBody } from "../../../coingate/form-body"
import { beneficiaryBody, COUNTRY_INPUT } from "../beneficiary"

/**
 * The payout's beneficiary body against CoinGate's reference (github.com/coingate/openapi,
 * reference/v2.json, paths./beneficiaries.post): its curl sample, field for field.
 */
const REFERENCE_SAMPLE: Array<[string, string]> = [
  ["beneficiary_type", "person"],
  ["person[first_name]", "Joe"],
  ["person[surname]", "Doe"],
  ["email", "test@example.com"],
  ["country", "LTU"],
  ["currency_id", "1"],
  ["platform_id", "6"],
  ["crypto_address", "tb1qz63xn75h604p4mdkemmje909ysnmjgxrj2xx2v"],
]

const joe = {
  email: "test@example.com",
  first_name: "Joe",
  last_name: "Doe",
  country: "LTU",
  currency_id: 1,
  platform_id: 6,
  address: "tb1qz63xn75h604p4mdkemmje909ysnmjgxrj2xx2v",
}

describe("beneficiaryBody", () => {
  it("form-encodes to exactly the reference's create-beneficiary sample", () => {
    const sent = [...new URLSearchParams(formBody(beneficiaryBody(joe))).entries()]
    expect(sent.sort()).toEqual([...REFERENCE_SAMPLE].sort())
  })

  it("is a person with person[first_name] and person[surname] (Medusa's last_name), never top-level names", () => {
    const body = beneficiaryBody({ ...joe, first_name: " Ada ", last_name: "Shopper " })
    expect(body).toMatchObject({ beneficiary_type: "person", person: { first_name: "Ada", surname: "Shopper" } })
    expect(body).not.toHaveProperty("first_name")
    expect(body).not.toHaveProperty("last_name")
    expect(body).not.toHaveProperty("crypto_address_metadata")
  })

  it("sends a memo or tag as crypto_address_metadata", () => {
    expect(beneficiaryBody({ ...joe, address_memo: "tag-7" }).crypto_address_metadata).toBe("tag-7")
    expect(beneficiaryBody({ ...joe, address_memo: null })).not.toHaveProperty("crypto_address_metadata")
  })

  it("refuses (INVALID_DATA, nothing to send) a 2-letter country or a missing name", () => {
    for (const bad of [{ country: "LT" }, { country: "ltu" }, { country: "" }, { first_name: " " }, { last_name: "" }]) {
      expect(() => beneficiaryBody({ ...joe, ...bad })).toThrow(expect.objectContaining({ type: "invalid_data", message: expect.stringMatching(/alpha-3/) }))
    }
  })

  it("the admin API takes alpha-2 (what Medusa stores) or alpha-3", () => {
    expect(["LT", "LTU", "US", "USA"].every((c) => COUNTRY_INPUT.test(c))).toBe(true)
    expect(["L", "LITH", "lt", "L1"].some((c) => COUNTRY_INPUT.test(c))).toBe(false)
  })
})

describe("formBody", () => {
  it("writes nested objects as a[b]=, leaves out null and undefined, writes numbers as text", () => {
    expect(formBody({ a: 1, b: { c: "x y", d: null }, e: undefined, f: [{ g: true }] })).toBe("a=1&b%5Bc%5D=x+y&f%5B%5D%5Bg%5D=true")
  })
})

import { BODY_CAP_BYTES, REDACTED, storedBody, UNVERIFIED_BODY_CAP_BYTES } from "../body"

describe("what the callback log stores of a body", () => {
  it("drops the token and every field named like a secret, at any depth", () => {
    const body = {
      id: "42",
      order_id: "payses_1",
      status: "paid",
      token: "tok-abcdefgh",
      api_key: "k",
      nested: { Secret: "s", refresh_token: "r", password: "p", authorization: "Bearer x", signature: "sig", ok: 1 },
      list: [{ private_key: "pk", amount: "1.00" }],
      callback_url: "https://shop/hooks/coingate/refunds/URLTOKEN12345",
    }
    expect(storedBody(body)).toEqual({ id: "42", order_id: "payses_1", status: "paid", nested: { ok: 1 }, list: [{ amount: "1.00" }] })
  })

  it("replaces a named secret wherever it is echoed, keys included", () => {
    const stored = storedBody({ note: "my token is abcdefghijkl!", abcdefghijkl: 1, n: 5 }, ["abcdefghijkl", null, "", "x"])
    expect(JSON.stringify(stored)).not.toContain("abcdefghijkl")
    expect(stored).toEqual({ note: `my token is ${REDACTED}!`, [REDACTED]: 1, n: 5 })
  })

  it("removes NUL characters (PostgreSQL's jsonb refuses them) and cuts deep nesting and long arrays", () => {
    let deep: any = { v: 1 }
    for (let i = 0; i < 10; i++) deep = { d: deep }
    const stored = storedBody({ s: "a\u0000b", deep, arr: Array.from({ length: 60 }, (_, i) => i) }) as any
    expect(stored.s).toBe("ab")
    expect((storedBody({ ["k\ud800"]: "\udc00x😀" }) as any)["k\uFFFD"]).toBe("\uFFFDx😀")
    expect(JSON.stringify(stored.deep)).toContain("[nested]")
    expect(stored.arr).toHaveLength(51)
    expect(stored.arr[50]).toBe("[10 more]")
  })

  it("keeps a body over 4 KB as truncated text with a marker, under the cap and without secrets", () => {
    const stored = storedBody({ id: "1", token: "tok-abcdefgh", pad: "é".repeat(5000), echo: "tok-abcdefgh" }, ["tok-abcdefgh"]) as any
    expect(stored.truncated).toBe(true)
    expect(stored.bytes).toBeGreaterThan(BODY_CAP_BYTES)
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThanOrEqual(BODY_CAP_BYTES)
    expect(stored.text.startsWith('{"id":"1","pad":"éé')).toBe(true)
    expect(JSON.stringify(stored)).not.toContain("tok-abcdefgh")
  })

  it("holds any cap exactly, even for text the truncated form escapes again (quotes, backslashes)", () => {
    for (const pad of ['"'.repeat(3000), "\\".repeat(3000), "\n".repeat(3000), "é".repeat(3000)]) {
      for (const cap of [UNVERIFIED_BODY_CAP_BYTES, BODY_CAP_BYTES]) {
        const stored = storedBody({ id: 7, order_id: "payses_1", status: "paid", pad }, [], cap) as any
        expect(stored.truncated).toBe(true)
        expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThanOrEqual(cap)
        expect(stored.text.startsWith('{"id":7,"order_id":"payses_1","status":"paid"')).toBe(true)
      }
    }
  })

  it("keeps a body at the cap as it is; no body is null; a non-object is wrapped", () => {
    const body = { pad: "a".repeat(BODY_CAP_BYTES - 10) }
    expect(storedBody(body)).toEqual(body)
    expect(storedBody(undefined)).toBeNull()
    expect(storedBody("id=1&token=x")).toEqual({ value: "id=1&token=x" })
  })
})

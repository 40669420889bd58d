import { VerifiedCallbacks } from "../verified-callbacks"

describe("VerifiedCallbacks (one CoinGate read per callback through Medusa's /hooks/payment)", () => {
  const keepAll = () => true

  it("the second verifier of the same callback gets the first one's result, once", async () => {
    const cache = new VerifiedCallbacks<number>()
    let reads = 0
    const verify = async () => ++reads
    expect(await cache.run("k", "provider", verify, keepAll)).toBe(1)
    expect(await cache.run("k", "plugin", verify, keepAll)).toBe(1)
    expect(reads).toBe(1)
    // A new delivery of the same body: each verifier reads again.
    expect(await cache.run("k", "plugin", verify, keepAll)).toBe(2)
    expect(await cache.run("k", "provider", verify, keepAll)).toBe(2)
    expect(reads).toBe(2)
  })

  it("shares a read still in flight", async () => {
    const cache = new VerifiedCallbacks<number>()
    let reads = 0
    const verify = () => new Promise<number>((r) => setTimeout(() => r(++reads), 10))
    const [a, b] = await Promise.all([cache.run("k", "plugin", verify, keepAll), cache.run("k", "provider", verify, keepAll)])
    expect([a, b, reads]).toEqual([1, 1, 1])
  })

  it("a same verifier asking again always reads (the provider's callbacks in a row)", async () => {
    const cache = new VerifiedCallbacks<number>()
    let reads = 0
    const verify = async () => ++reads
    for (let i = 1; i <= 3; i++) expect(await cache.run("k", "provider", verify, keepAll)).toBe(i)
  })

  it("keeps nothing past its few seconds, nor a result it is told not to keep, nor a failure", async () => {
    let now = 0
    const cache = new VerifiedCallbacks<number>(5_000, () => now)
    let reads = 0
    const verify = async () => ++reads
    await cache.run("k", "provider", verify, keepAll)
    now = 5_000
    expect(await cache.run("k", "plugin", verify, keepAll)).toBe(2)
    await cache.run("t", "provider", verify, () => false)
    await Promise.resolve()
    expect(await cache.run("t", "plugin", verify, keepAll)).toBe(4)
    await expect(cache.run("f", "provider", () => Promise.reject(new Error("down")), keepAll)).rejects.toThrow("down")
    expect(await cache.run("f", "plugin", verify, keepAll)).toBe(5)
  })

  it("other callbacks (another key) are verified on their own", async () => {
    const cache = new VerifiedCallbacks<string>()
    expect(await cache.run("a", "provider", async () => "a", keepAll)).toBe("a")
    expect(await cache.run("b", "plugin", async () => "b", keepAll)).toBe("b")
  })
})

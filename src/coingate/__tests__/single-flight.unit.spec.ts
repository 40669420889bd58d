import { SingleFlight } from "../single-flight"

const deferred = <T>() => {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

describe("SingleFlight", () => {
  it("runs the work once for concurrent calls with one key, and shares its result", async () => {
    const flights = new SingleFlight<number>()
    const gate = deferred<number>()
    let runs = 0
    const work = () => {
      runs++
      return gate.promise
    }
    const calls = Array.from({ length: 100 }, () => flights.run("order:1", work))
    expect(flights.size).toBe(1)
    gate.resolve(7)
    expect(await Promise.all(calls)).toEqual(Array(100).fill(7))
    expect(runs).toBe(1)
    expect(flights.size).toBe(0)
  })

  it("keeps keys apart", async () => {
    const flights = new SingleFlight<string>()
    const [a, b] = await Promise.all([flights.run("a", async () => "A"), flights.run("b", async () => "B")])
    expect([a, b]).toEqual(["A", "B"])
  })

  it("shares a failure with the calls that joined, then runs again", async () => {
    const flights = new SingleFlight<number>()
    const gate = deferred<number>()
    const first = flights.run("k", () => gate.promise)
    const joined = flights.run("k", async () => 99)
    gate.reject(new Error("CoinGate down"))
    await expect(first).rejects.toThrow("CoinGate down")
    await expect(joined).rejects.toThrow("CoinGate down")
    await expect(flights.run("k", async () => 2)).resolves.toBe(2)
  })

  it("a call after the run settled runs the work again (freshness is the caller's check)", async () => {
    const flights = new SingleFlight<number>()
    let runs = 0
    await flights.run("k", async () => ++runs)
    await flights.run("k", async () => ++runs)
    expect(runs).toBe(2)
  })

  it("turns a synchronous throw into a rejection and forgets the key", async () => {
    const flights = new SingleFlight<number>()
    await expect(
      flights.run("k", () => {
        throw new Error("boom")
      })
    ).rejects.toThrow("boom")
    expect(flights.size).toBe(0)
  })
})

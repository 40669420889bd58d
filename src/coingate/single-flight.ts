/**
 * Concurrent calls for one key share one run of the work (issue 10, finding 5: a burst of
 * requests for one CoinGate order makes one read, not a hundred). Nothing is kept once the
 * run settles, a failure included: the next call runs the work again. A caller that must
 * not act on stale data puts its freshness check inside the work, so that a call arriving
 * just after a run sees what that run wrote.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>()

  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key)
    if (running) return running
    const promise = Promise.resolve().then(work)
    this.inFlight.set(key, promise)
    const forget = () => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key)
    }
    promise.then(forget, forget)
    return promise
  }

  /** Keys with a run in flight. */
  get size(): number {
    return this.inFlight.size
  }
}

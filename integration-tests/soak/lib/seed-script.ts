import fs from "fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { createCart, seedStore } from "../../helpers/store"

/**
 * `medusa exec` script used by the child-process suites: seeds a store (region with the
 * CoinGate provider, sales channel, publishable key) and SEED_CARTS guest carts (amounts
 * from SEED_AMOUNTS, default 10.50 + i), and writes their ids as JSON to SEED_OUT.
 */
export default async function seed({ container }: ExecArgs) {
  const store = await seedStore(container)
  const count = Number(process.env.SEED_CARTS ?? 1)
  const amounts = (process.env.SEED_AMOUNTS ?? "").split(",").filter(Boolean).map(Number)
  const carts: string[] = []
  for (let i = 0; i < count; i++) {
    const cart = await createCart(container, store, amounts[i] ?? 10.5 + i)
    carts.push(cart.id)
  }
  fs.writeFileSync(process.env.SEED_OUT!, JSON.stringify({ ...store, carts }))
}

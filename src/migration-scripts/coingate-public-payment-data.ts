import type { ExecArgs } from "@medusajs/framework/types"
import { removeInternalPaymentData } from "../sync/legacy-payment-data"

/** Run once by `medusa db:migrate`: payments' data keeps only the public CoinGate fields (see src/sync/legacy-payment-data.ts). */
export default async function coingatePublicPaymentData({ container }: ExecArgs) {
  await removeInternalPaymentData(container)
}

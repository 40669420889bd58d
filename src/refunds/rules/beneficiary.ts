import { MedusaError } from "@medusajs/framework/utils"
import type { CreateBeneficiaryRequest } from "../../coingate/refund-types"

/**
 * The `POST /v2/beneficiaries` body of a payout, in CoinGate's documented shape (reference/v2.json,
 * `create-beneficiary`, whose curl sample is form-encoded): `beneficiary_type=person`,
 * `person[first_name]`, `person[surname]`, `email`, `country` as an ISO 3166-1 alpha-3 code (`LTU`),
 * and the first payout setting's `currency_id`, `platform_id`, `crypto_address`
 * (`crypto_address_metadata` for a memo or tag). The shopper is refunded as a person: the store knows
 * a name and a country, never a company code.
 */

/** An ISO 3166-1 alpha-3 code, as CoinGate's `country` takes it ("Country alpha3 code"). */
export const ALPHA3 = /^[A-Z]{3}$/

/** An ISO 3166-1 alpha-2 (`LT`, what Medusa stores) or alpha-3 (`LTU`) code, as the admin API takes it. */
export const COUNTRY_INPUT = /^[A-Z]{2,3}$/

export type PayoutBeneficiary = {
  email: string
  /** Medusa's address field names: `last_name` is CoinGate's `surname`. */
  first_name: string
  last_name: string
  /** Alpha-3 (resolved from Medusa's country table by src/refunds/countries.ts). */
  country: string
  currency_id: number
  platform_id: number
  address: string
  address_memo?: string | null
}

/** The body, or INVALID_DATA naming what is missing (nothing is sent then). */
export function beneficiaryBody(b: PayoutBeneficiary): CreateBeneficiaryRequest {
  const first = b.first_name.trim()
  const surname = b.last_name.trim()
  if (!first || !surname || !ALPHA3.test(b.country)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "CoinGate payout: the beneficiary needs a first name, a surname and an ISO alpha-3 country code (LTU)."
    )
  }
  return {
    beneficiary_type: "person",
    person: { first_name: first, surname },
    email: b.email,
    country: b.country,
    currency_id: b.currency_id,
    platform_id: b.platform_id,
    crypto_address: b.address,
    ...(b.address_memo ? { crypto_address_metadata: b.address_memo } : {}),
  }
}

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * CoinGate's beneficiary `country` is ISO 3166-1 alpha-3 (`LTU`); Medusa stores addresses with alpha-2
 * (`lt`). Medusa's region module already has the table (`country`: `iso_2`, `iso_3`, loaded with every
 * country when the module starts), so the code is looked up there rather than in a list of our own.
 * Takes either form, any case; answers the alpha-3 code in capitals, or null for a code Medusa does
 * not know.
 */
export async function alpha3Country(container: MedusaContainer, code: string): Promise<string | null> {
  const wanted = code.trim().toLowerCase()
  if (!/^[a-z]{2,3}$/.test(wanted)) return null
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "country",
    fields: ["iso_2", "iso_3"],
    filters: wanted.length === 2 ? { iso_2: wanted } : { iso_3: wanted },
  })
  const iso3 = (data?.[0] as { iso_3?: string } | undefined)?.iso_3
  return iso3 ? iso3.toUpperCase() : null
}

import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"

/**
 * What a real storefront's checkout needs before it shows a payment step (dtc-starter, Medusa's
 * Next.js starter, asks for a shipping method first): a stock location linked to the sales channel
 * and to the manual fulfillment provider, a fulfillment set whose service zone covers every seeded
 * country, one flat "Standard shipping" option priced in every seeded currency, and a shipping
 * profile for the products. Idempotent, like the rest of the seed: found by name first.
 */
export const DEMO_LOCATION = "Crypto demo warehouse"
export const DEMO_FULFILLMENT_SET = "Crypto demo warehouse shipping"
export const DEMO_SHIPPING_OPTION = "Standard shipping"
const FULFILLMENT_PROVIDER = "manual_manual"

export type ShippingSeed = { stockLocationId: string; shippingProfileId: string; shippingOptionId: string }

export async function ensureShipping(
  container: MedusaContainer,
  input: { salesChannelId: string; countries: string[]; currencies: string[]; price: number }
): Promise<ShippingSeed> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const fulfillment = container.resolve(Modules.FULFILLMENT)

  const stockLocationId = await ensureStockLocation(container)
  const { data: located } = await query.graph({
    entity: "stock_location",
    fields: ["id", "sales_channels.id", "fulfillment_providers.id", "fulfillment_sets.id"],
    filters: { id: stockLocationId },
  })
  const location = located[0] as any
  if (!(location?.sales_channels ?? []).some((c: any) => c?.id === input.salesChannelId)) {
    await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: stockLocationId, add: [input.salesChannelId] } })
  }
  if (!(location?.fulfillment_providers ?? []).some((p: any) => p?.id === FULFILLMENT_PROVIDER)) {
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: stockLocationId },
      [Modules.FULFILLMENT]: { fulfillment_provider_id: FULFILLMENT_PROVIDER },
    })
  }

  const shippingProfileId = await ensureShippingProfile(container)

  let [set] = await fulfillment.listFulfillmentSets({ name: DEMO_FULFILLMENT_SET }, { relations: ["service_zones", "service_zones.geo_zones"] })
  if (!set) {
    set = await fulfillment.createFulfillmentSets({
      name: DEMO_FULFILLMENT_SET,
      type: "shipping",
      service_zones: [{ name: "Crypto demo countries", geo_zones: input.countries.map((country_code) => ({ type: "country" as const, country_code })) }],
    })
  } else {
    // Countries added to the seed since the set was made.
    const zone = set.service_zones[0]
    const have = new Set((zone.geo_zones ?? []).map((g: any) => g.country_code))
    const missing = input.countries.filter((c) => !have.has(c))
    if (missing.length) await fulfillment.createGeoZones(missing.map((country_code) => ({ type: "country" as const, country_code, service_zone_id: zone.id })))
  }
  if (!(location?.fulfillment_sets ?? []).some((s: any) => s?.id === set.id)) {
    await link.create({
      [Modules.STOCK_LOCATION]: { stock_location_id: stockLocationId },
      [Modules.FULFILLMENT]: { fulfillment_set_id: set.id },
    })
  }

  const serviceZoneId = set.service_zones[0].id
  let [option] = await fulfillment.listShippingOptions({ name: DEMO_SHIPPING_OPTION, service_zone: { id: serviceZoneId } } as any)
  if (!option) {
    const { result } = await createShippingOptionsWorkflow(container).run({
      input: [
        {
          name: DEMO_SHIPPING_OPTION,
          price_type: "flat",
          provider_id: FULFILLMENT_PROVIDER,
          service_zone_id: serviceZoneId,
          shipping_profile_id: shippingProfileId,
          type: { label: "Standard", description: "Ships in 2-3 days.", code: "standard" },
          prices: input.currencies.map((currency_code) => ({ currency_code, amount: input.price })),
          rules: [
            { attribute: "enabled_in_store", value: "true", operator: "eq" },
            { attribute: "is_return", value: "false", operator: "eq" },
          ],
        },
      ],
    })
    option = result[0] as any
  }
  return { stockLocationId, shippingProfileId, shippingOptionId: option.id }
}

async function ensureStockLocation(container: MedusaContainer): Promise<string> {
  const locations = container.resolve(Modules.STOCK_LOCATION)
  const [existing] = await locations.listStockLocations({ name: DEMO_LOCATION })
  if (existing) return existing.id
  const { result } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: DEMO_LOCATION, address: { city: "Berlin", country_code: "DE", address_1: "Demo street 1" } }] },
  })
  return result[0].id
}

/** The store's default shipping profile (Medusa creates one), else a new one. */
async function ensureShippingProfile(container: MedusaContainer): Promise<string> {
  const fulfillment = container.resolve(Modules.FULFILLMENT)
  const [existing] = await fulfillment.listShippingProfiles({ type: "default" })
  if (existing) return existing.id
  const { result } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: "Default shipping profile", type: "default" }] },
  })
  return result[0].id
}

/** Puts products seeded before they had a profile (or made in the admin without one) into the profile. */
export async function ensureProductsShippingProfile(container: MedusaContainer, productIds: string[], shippingProfileId: string) {
  if (!productIds.length) return
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const { data } = await query.graph({ entity: "product", fields: ["id", "shipping_profile.id"], filters: { id: productIds } })
  const without = data.filter((p: any) => !p.shipping_profile?.id)
  if (!without.length) return
  await link.create(
    without.map((p: any) => ({
      [Modules.PRODUCT]: { product_id: p.id },
      [Modules.FULFILLMENT]: { shipping_profile_id: shippingProfileId },
    }))
  )
}

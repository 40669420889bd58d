import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createStoresWorkflow,
  createUsersWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  updateProductVariantsWorkflow,
  updateRegionsWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"
import { ensureProductsShippingProfile, ensureShipping } from "./demo-seed/shipping"

/**
 * Seeds the demo store (`npm run demo` runs it as `npx medusa exec ./src/scripts/seed-demo.ts`).
 * Idempotent: everything is looked up by name, handle or email first and only created when
 * missing, so it runs on every start. Prints one line `DEMO_SEED_RESULT {json}` with what the
 * checkout page needs (publishable key, region, products).
 *
 * - regions "Europe (crypto demo)" (EUR; dk, Medusa's starters' default country, among its countries),
 *   "United States (crypto demo)" (USD) and "United Kingdom (crypto demo)" (GBP), each with the CoinGate
 *   provider and Medusa's system provider
 * - a sales channel, and a publishable API key linked to it (the checkout page sends it)
 * - a few products priced in every region's currency, without inventory management, in the default
 *   shipping profile
 * - what a real storefront's checkout needs (demo-seed/shipping.ts): a stock location, a fulfillment set
 *   covering every seeded country and a "Standard shipping" option, so GET /store/shipping-options?cart_id=
 *   offers one (the demo's own checkout page ships nothing: its items complete without shipping)
 * - an admin user (DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD, default admin@example.com / supersecret)
 */

export const DEMO_REGION = "Europe (crypto demo)"
export const DEMO_SALES_CHANNEL = "Crypto demo storefront"
export const DEMO_KEY_TITLE = "Crypto demo storefront"
const CURRENCY = "eur"
export const DEMO_REGIONS = [
  { name: DEMO_REGION, currency: "eur", countries: ["de", "dk", "fr", "nl", "be", "at", "es", "it", "pt", "ie", "fi", "se"] },
  { name: "United States (crypto demo)", currency: "usd", countries: ["us"] },
  { name: "United Kingdom (crypto demo)", currency: "gbp", countries: ["gb"] },
]
const CURRENCIES = DEMO_REGIONS.map((r) => r.currency)
const SHIPPING_PRICE = 4.9

const PRODUCTS = [
  { handle: "coingate-sticker-pack", title: "Sticker pack", description: "Ten vinyl stickers for your laptop.", prices: { eur: 4.5, usd: 5, gbp: 4 } },
  { handle: "satoshi-t-shirt", title: "Satoshi T-shirt", description: "Organic cotton, one size fits most.", prices: { eur: 24, usd: 26, gbp: 21 } },
  { handle: "hardware-wallet-sleeve", title: "Hardware wallet sleeve", description: "Felt sleeve for a hardware wallet.", prices: { eur: 12.9, usd: 14, gbp: 11.5 } },
] as const

export default async function seedDemo({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const providerId = process.env.DEMO_COINGATE_PROVIDER_ID || "pp_coingate_coingate"
  const paymentProviders = [providerId, "pp_system_default"]

  const salesChannel = await ensureSalesChannel(container)
  const regions = []
  for (const spec of DEMO_REGIONS) regions.push(await ensureRegion(container, spec, paymentProviders))
  const region = regions[0]
  await ensureStore(container, salesChannel.id, region.id)
  const key = await ensurePublishableKey(container, salesChannel.id)
  const shipping = await ensureShipping(container, {
    salesChannelId: salesChannel.id,
    countries: DEMO_REGIONS.flatMap((r) => r.countries),
    currencies: CURRENCIES,
    price: SHIPPING_PRICE,
  })
  const products = await ensureProducts(container, salesChannel.id, shipping.shippingProfileId)
  await ensureProductsShippingProfile(container, products.map((p) => p.id), shipping.shippingProfileId)
  const admin = await ensureAdmin(container)

  const result = {
    publishable_key: key.token,
    region_id: region.id,
    regions: regions.map((r) => ({ id: r.id, name: r.name, currency_code: r.currency_code })),
    shipping_option_id: shipping.shippingOptionId,
    stock_location_id: shipping.stockLocationId,
    sales_channel_id: salesChannel.id,
    currency_code: CURRENCY,
    payment_providers: paymentProviders,
    products: products.map((p) => ({ id: p.id, handle: p.handle, title: p.title })),
    admin_email: admin.email,
    admin_created: admin.created,
  }
  logger.info(`Demo store seeded: region ${region.id}, ${products.length} products, admin ${admin.email}${admin.created ? " (created)" : ""}`)
  process.stdout.write(`DEMO_SEED_RESULT ${JSON.stringify(result)}\n`)
}

async function ensureSalesChannel(container: MedusaContainer) {
  const salesChannels = container.resolve(Modules.SALES_CHANNEL)
  const [existing] = await salesChannels.listSalesChannels({ name: DEMO_SALES_CHANNEL })
  if (existing) return existing
  const { result } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: DEMO_SALES_CHANNEL, description: "The demo checkout page (demo/)" }] },
  })
  return result[0]
}

async function ensureRegion(container: MedusaContainer, spec: (typeof DEMO_REGIONS)[number], paymentProviders: string[]) {
  const regions = container.resolve(Modules.REGION)
  // A country belongs to one region only: leave out any another region already has.
  const all = await regions.listRegions({}, { relations: ["countries"] })
  const existing = all.find((r) => r.name === spec.name)
  const taken = new Set(all.filter((r) => r !== existing).flatMap((r) => (r.countries ?? []).map((c) => c.iso_2)))
  const countries = spec.countries.filter((c) => !taken.has(c))
  if (existing) {
    // Re-assert the providers (a region edited in the admin still works for the demo) and the seed's countries.
    const have = new Set((existing.countries ?? []).map((c) => c.iso_2))
    const update = { payment_providers: paymentProviders, ...(countries.some((c) => !have.has(c)) ? { countries: [...new Set([...have, ...countries])] } : {}) }
    await updateRegionsWorkflow(container).run({ input: { selector: { id: existing.id }, update } })
    return existing
  }
  const { result } = await createRegionsWorkflow(container).run({
    input: { regions: [{ name: spec.name, currency_code: spec.currency, countries, payment_providers: paymentProviders }] },
  })
  return result[0]
}

async function ensureStore(container: MedusaContainer, salesChannelId: string, regionId: string) {
  const stores = container.resolve(Modules.STORE)
  let [store] = await stores.listStores()
  if (!store) {
    const { result } = await createStoresWorkflow(container).run({
      input: { stores: [{ name: "Crypto demo store", supported_currencies: [{ currency_code: CURRENCY, is_default: true }] }] },
    })
    store = result[0]
  }
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        name: "CoinGate demo store",
        supported_currencies: CURRENCIES.map((currency_code) => ({ currency_code, is_default: currency_code === CURRENCY })),
        default_sales_channel_id: salesChannelId,
        default_region_id: regionId,
      },
    },
  })
}

async function ensurePublishableKey(container: MedusaContainer, salesChannelId: string) {
  const apiKeys = container.resolve(Modules.API_KEY)
  let [key] = (await apiKeys.listApiKeys({ title: DEMO_KEY_TITLE, type: "publishable" })).filter((k) => !k.revoked_at)
  if (!key) {
    const { result } = await createApiKeysWorkflow(container).run({
      input: { api_keys: [{ title: DEMO_KEY_TITLE, type: "publishable", created_by: "seed-demo" }] },
    })
    key = result[0]
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: links } = await query.graph({
    entity: "publishable_api_key_sales_channel",
    fields: ["sales_channel_id"],
    filters: { publishable_key_id: key.id },
  })
  if (!links.some((l: any) => l.sales_channel_id === salesChannelId)) {
    await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: [salesChannelId] } })
  }
  return key
}

async function ensureProducts(container: MedusaContainer, salesChannelId: string, shippingProfileId: string) {
  const products = container.resolve(Modules.PRODUCT)
  const existing = await products.listProducts({ handle: PRODUCTS.map((p) => p.handle) as string[] })
  await ensurePrices(container, existing.map((p) => p.id))
  const have = new Set(existing.map((p) => p.handle))
  const missing = PRODUCTS.filter((p) => !have.has(p.handle))
  if (missing.length === 0) return existing
  const { result } = await createProductsWorkflow(container).run({
    input: {
      products: missing.map((p) => ({
        title: p.title,
        handle: p.handle,
        description: p.description,
        status: ProductStatus.PUBLISHED,
        sales_channels: [{ id: salesChannelId }],
        shipping_profile_id: shippingProfileId,
        options: [{ title: "Edition", values: ["Standard"] }],
        variants: [
          {
            title: "Standard",
            sku: `DEMO-${p.handle.toUpperCase()}`,
            options: { Edition: "Standard" },
            manage_inventory: false,
            prices: Object.entries(p.prices).map(([currency_code, amount]) => ({ amount, currency_code })),
          },
        ],
      })),
    },
  })
  return [...existing, ...result]
}

/** Prices in the currencies added since a product was seeded (a demo database from an older seed). */
async function ensurePrices(container: MedusaContainer, productIds: string[]) {
  if (!productIds.length) return
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "product", fields: ["handle", "variants.id", "variants.prices.currency_code", "variants.prices.amount"], filters: { id: productIds } })
  for (const product of data as any[]) {
    const spec = PRODUCTS.find((p) => p.handle === product.handle)
    for (const variant of product.variants ?? []) {
      const prices = (variant.prices ?? []).filter((x: any) => x && !x.rules_count)
      const have = new Set(prices.map((x: any) => x.currency_code))
      if (!spec || CURRENCIES.every((c) => have.has(c))) continue
      const next = Object.entries(spec.prices).map(([currency_code, amount]) => ({ currency_code, amount }))
      await updateProductVariantsWorkflow(container).run({ input: { selector: { id: variant.id }, update: { prices: next } } })
    }
  }
}

/** The same steps as `medusa user -e … -p …`, skipped when the user already exists. */
async function ensureAdmin(container: MedusaContainer): Promise<{ email: string; created: boolean }> {
  const email = process.env.DEMO_ADMIN_EMAIL || "admin@example.com"
  const password = process.env.DEMO_ADMIN_PASSWORD || "supersecret"
  const users = container.resolve(Modules.USER)
  const auth = container.resolve(Modules.AUTH)

  let [user] = await users.listUsers({ email })
  const identities = await auth.listProviderIdentities({ entity_id: email, provider: "emailpass" })
  if (user && identities.length > 0) return { email, created: false }

  if (!user) {
    const { result } = await createUsersWorkflow(container).run({ input: { users: [{ email }] } })
    user = result[0]
  }
  if (identities.length === 0) {
    const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } } as any)
    if (error || !authIdentity) throw new Error(`could not create the admin login ${email}: ${error}`)
    await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: user.id } })
  }
  return { email, created: true }
}

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
  updateRegionsWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"

/**
 * Seeds the demo store (`npm run demo` runs it as `npx medusa exec ./src/scripts/seed-demo.ts`).
 * Idempotent: everything is looked up by name, handle or email first and only created when
 * missing, so it runs on every start. Prints one line `DEMO_SEED_RESULT {json}` with what the
 * checkout page needs (publishable key, region, products).
 *
 * - a region "Europe (crypto demo)" in EUR with the CoinGate provider and Medusa's system provider
 * - a sales channel, and a publishable API key linked to it (the checkout page sends it)
 * - a few products priced in EUR, without inventory management and without a shipping
 *   profile, so carts complete with no shipping step
 * - an admin user (DEMO_ADMIN_EMAIL / DEMO_ADMIN_PASSWORD, default admin@example.com / supersecret)
 */

export const DEMO_REGION = "Europe (crypto demo)"
export const DEMO_SALES_CHANNEL = "Crypto demo storefront"
export const DEMO_KEY_TITLE = "Crypto demo storefront"
const CURRENCY = "eur"
const COUNTRIES = ["de", "fr", "nl", "be", "at", "es", "it", "pt", "ie", "fi"]

const PRODUCTS = [
  { handle: "coingate-sticker-pack", title: "Sticker pack", description: "Ten vinyl stickers for your laptop.", price: 4.5 },
  { handle: "satoshi-t-shirt", title: "Satoshi T-shirt", description: "Organic cotton, one size fits most.", price: 24 },
  { handle: "hardware-wallet-sleeve", title: "Hardware wallet sleeve", description: "Felt sleeve for a hardware wallet.", price: 12.9 },
]

export default async function seedDemo({ container }: ExecArgs) {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const providerId = process.env.DEMO_COINGATE_PROVIDER_ID || "pp_coingate_coingate"
  const paymentProviders = [providerId, "pp_system_default"]

  const salesChannel = await ensureSalesChannel(container)
  const region = await ensureRegion(container, paymentProviders)
  await ensureStore(container, salesChannel.id, region.id)
  const key = await ensurePublishableKey(container, salesChannel.id)
  const products = await ensureProducts(container, salesChannel.id)
  const admin = await ensureAdmin(container)

  const result = {
    publishable_key: key.token,
    region_id: region.id,
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

async function ensureRegion(container: MedusaContainer, paymentProviders: string[]) {
  const regions = container.resolve(Modules.REGION)
  const [existing] = await regions.listRegions({ name: DEMO_REGION })
  if (existing) {
    // Re-assert the providers: a region edited in the admin still works for the demo.
    await updateRegionsWorkflow(container).run({
      input: { selector: { id: existing.id }, update: { payment_providers: paymentProviders } },
    })
    return existing
  }
  // A country belongs to one region only: leave out any another region already has.
  const taken = new Set(
    (await regions.listRegions({}, { relations: ["countries"] })).flatMap((r) => (r.countries ?? []).map((c) => c.iso_2))
  )
  const { result } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: DEMO_REGION,
          currency_code: CURRENCY,
          countries: COUNTRIES.filter((c) => !taken.has(c)),
          payment_providers: paymentProviders,
        },
      ],
    },
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
        supported_currencies: [{ currency_code: CURRENCY, is_default: true }],
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

async function ensureProducts(container: MedusaContainer, salesChannelId: string) {
  const products = container.resolve(Modules.PRODUCT)
  const existing = await products.listProducts({ handle: PRODUCTS.map((p) => p.handle) })
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
        options: [{ title: "Edition", values: ["Standard"] }],
        variants: [
          {
            title: "Standard",
            sku: `DEMO-${p.handle.toUpperCase()}`,
            options: { Edition: "Standard" },
            manage_inventory: false,
            prices: [{ amount: p.price, currency_code: CURRENCY }],
          },
        ],
      })),
    },
  })
  return [...existing, ...result]
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

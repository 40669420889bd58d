import fs from "fs"
import path from "path"
import { MedusaError, PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"

/**
 * The lowest Medusa version the plugin runs on. 2.17.2 is the first whose @medusajs/framework has
 * `PaymentSessionStatus.PENDING_AUTHORIZATION` and `PaymentActions.PENDING_AUTHORIZATION`: a CoinGate
 * invoice that is `confirming` (and an order-first checkout awaiting payment) maps to them. Before
 * 2.17.2 they are undefined and a `confirming` callback would fail at run time, so the provider refuses
 * to boot instead. package.json's peer ranges (`>=2.17.2 <3`) say the same to package managers; the
 * compatibility suite (`npm run test:compat`) installs the packed plugin at this version and the latest.
 */
export const MEDUSA_FLOOR = "2.17.2"

type Version = { major: number; minor: number; patch: number; prerelease: boolean }

function parseVersion(version: string): Version | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(version.trim())
  if (!m) return null
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: !!m[4] }
}

/** True when `version` is at least `floor` (semver order; a prerelease of the floor is below it). */
export function isAtLeast(version: string, floor: string): boolean {
  const v = parseVersion(version)
  const f = parseVersion(floor)
  if (!v || !f) return false
  for (const key of ["major", "minor", "patch"] as const) {
    if (v[key] !== f[key]) return v[key] > f[key]
  }
  return !v.prerelease || f.prerelease
}

export type MedusaFacts = {
  /** Version of the host's @medusajs/framework, or null when it could not be read. */
  frameworkVersion: string | null
  /** The host's PaymentSessionStatus and PaymentActions enums. */
  sessionStatuses: Record<string, unknown>
  paymentActions: Record<string, unknown>
}

const WHAT_TO_DO =
  `Upgrade the store's Medusa: set every @medusajs/* package in its package.json to the same version, ` +
  `${MEDUSA_FLOOR} or later, reinstall, and run \`npx medusa db:migrate\`.`

/**
 * Why this Medusa cannot run the plugin, or null when it can. Pure: `facts` says what the host has.
 */
export function unsupportedMedusaReason(facts: MedusaFacts): string | null {
  const { frameworkVersion } = facts
  if (frameworkVersion && !isAtLeast(frameworkVersion, MEDUSA_FLOOR)) {
    return (
      `medusa-payment-coingate needs Medusa ${MEDUSA_FLOOR} or later (2.x); this store has @medusajs/framework ` +
      `${frameworkVersion}. ${WHAT_TO_DO}`
    )
  }
  const missing = [
    facts.sessionStatuses.PENDING_AUTHORIZATION === undefined && "PaymentSessionStatus.PENDING_AUTHORIZATION",
    facts.paymentActions.PENDING_AUTHORIZATION === undefined && "PaymentActions.PENDING_AUTHORIZATION",
  ].filter(Boolean)
  if (missing.length) {
    return (
      `medusa-payment-coingate needs Medusa ${MEDUSA_FLOOR} or later (2.x): this store's @medusajs/framework/utils ` +
      `(${frameworkVersion ?? "version unknown"}) has no ${missing.join(" and ")}. ${WHAT_TO_DO}`
    )
  }
  return null
}

/**
 * The version of the @medusajs/framework that `@medusajs/framework/utils` resolves to from here (the
 * host's, with npm, yarn or pnpm), or null. Its package.json is found by walking up from the resolved
 * file, since the package's `exports` need not list `./package.json`.
 */
export function hostFrameworkVersion(resolveFrom: string = __dirname): string | null {
  let file: string
  try {
    file = require.resolve("@medusajs/framework/utils", { paths: [resolveFrom] })
  } catch {
    return null
  }
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"))
      if (pkg.name === "@medusajs/framework") return typeof pkg.version === "string" ? pkg.version : null
    } catch {
      // no package.json here: keep walking up
    }
  }
  return null
}

/** The facts of the Medusa this process runs. */
export function currentMedusaFacts(): MedusaFacts {
  return {
    frameworkVersion: hostFrameworkVersion(),
    sessionStatuses: PaymentSessionStatus as unknown as Record<string, unknown>,
    paymentActions: PaymentActions as unknown as Record<string, unknown>,
  }
}

/**
 * Stops boot (the provider's validateOptions and constructor call it) when the host's Medusa is older
 * than the floor or lacks a status the plugin maps CoinGate's to.
 */
export function assertSupportedMedusa(facts: MedusaFacts = currentMedusaFacts()): void {
  const reason = unsupportedMedusaReason(facts)
  if (reason) throw new MedusaError(MedusaError.Types.INVALID_DATA, reason)
}

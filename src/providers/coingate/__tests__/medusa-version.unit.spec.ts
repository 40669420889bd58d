import fs from "fs"
import os from "os"
import path from "path"
import { PaymentActions, PaymentSessionStatus } from "@medusajs/framework/utils"
import { CoinGateProviderService } from "../service"
import {
  MEDUSA_FLOOR,
  assertSupportedMedusa,
  currentMedusaFacts,
  hostFrameworkVersion,
  isAtLeast,
  unsupportedMedusaReason,
} from "../../../shared/medusa-version"

const statuses = { ...PaymentSessionStatus } as Record<string, unknown>
const actions = { ...PaymentActions } as Record<string, unknown>
const facts = (frameworkVersion: string | null, over: { sessionStatuses?: object; paymentActions?: object } = {}) => ({
  frameworkVersion,
  sessionStatuses: { ...statuses, ...over.sessionStatuses } as Record<string, unknown>,
  paymentActions: { ...actions, ...over.paymentActions } as Record<string, unknown>,
})

describe("Medusa version floor", () => {
  it("is 2.17.2, and package.json's @medusajs/* peer ranges start there and stop before 3", () => {
    expect(MEDUSA_FLOOR).toBe("2.17.2")
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const pkg = require("../../../../package.json")
    const medusaPeers = Object.entries(pkg.peerDependencies as Record<string, string>).filter(
      ([name]) => name.startsWith("@medusajs/") && name !== "@medusajs/ui"
    )
    expect(medusaPeers.length).toBeGreaterThanOrEqual(4)
    for (const [, range] of medusaPeers) expect(range).toBe(`>=${MEDUSA_FLOOR} <3`)
  })

  it("compares versions in semver order", () => {
    expect(isAtLeast("2.17.2", "2.17.2")).toBe(true)
    expect(isAtLeast("2.18.0", "2.17.2")).toBe(true)
    expect(isAtLeast("2.21.2", "2.17.2")).toBe(true)
    expect(isAtLeast("2.100.0", "2.17.2")).toBe(true)
    expect(isAtLeast("3.0.0", "2.17.2")).toBe(true)
    expect(isAtLeast("2.17.1", "2.17.2")).toBe(false)
    expect(isAtLeast("2.13.0", "2.17.2")).toBe(false)
    expect(isAtLeast("2.9.9", "2.17.2")).toBe(false)
    expect(isAtLeast("1.20.0", "2.17.2")).toBe(false)
    expect(isAtLeast("2.17.2-preview-20251201", "2.17.2")).toBe(false)
    expect(isAtLeast("2.18.0-snapshot-1", "2.17.2")).toBe(true)
    expect(isAtLeast("not a version", "2.17.2")).toBe(false)
  })

  it("accepts the Medusa this repository runs (2.21.2) and the floor", () => {
    expect(unsupportedMedusaReason(currentMedusaFacts())).toBeNull()
    expect(() => assertSupportedMedusa()).not.toThrow()
    expect(unsupportedMedusaReason(facts(MEDUSA_FLOOR))).toBeNull()
  })

  it("refuses a Medusa below the floor, saying which version is needed and what to do", () => {
    const reason = unsupportedMedusaReason(facts("2.13.0"))
    expect(reason).toContain("needs Medusa 2.17.2 or later")
    expect(reason).toContain("@medusajs/framework 2.13.0")
    expect(reason).toContain("set every @medusajs/* package")
    expect(() => assertSupportedMedusa(facts("2.17.1"))).toThrow(/needs Medusa 2\.17\.2 or later.*2\.17\.1/)
  })

  it("refuses a framework without PENDING_AUTHORIZATION even when its version cannot be read", () => {
    const noStatus = facts(null, { sessionStatuses: { PENDING_AUTHORIZATION: undefined } })
    expect(unsupportedMedusaReason(noStatus)).toMatch(/has no PaymentSessionStatus\.PENDING_AUTHORIZATION\./)
    const noAction = facts("2.18.0", { paymentActions: { PENDING_AUTHORIZATION: undefined } })
    expect(unsupportedMedusaReason(noAction)).toMatch(/\(2\.18\.0\) has no PaymentActions\.PENDING_AUTHORIZATION\./)
  })

  it("reads the version of the @medusajs/framework that resolves from a directory", () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const installed = JSON.parse(fs.readFileSync(path.join(__dirname, "../../../../node_modules/@medusajs/framework/package.json"), "utf8")).version
    expect(hostFrameworkVersion()).toBe(installed)

    // A store whose node_modules holds an older framework: that is the version read.
    const store = fs.mkdtempSync(path.join(os.tmpdir(), "coingate-old-medusa-"))
    try {
      const pkgDir = path.join(store, "node_modules/@medusajs/framework")
      fs.mkdirSync(path.join(pkgDir, "dist/utils"), { recursive: true })
      fs.writeFileSync(
        path.join(pkgDir, "package.json"),
        JSON.stringify({ name: "@medusajs/framework", version: "2.13.0", exports: { "./utils": "./dist/utils/index.js" } })
      )
      fs.writeFileSync(path.join(pkgDir, "dist/utils/index.js"), "module.exports = {}\n")
      expect(hostFrameworkVersion(store)).toBe("2.13.0")
      expect(hostFrameworkVersion(path.join(os.tmpdir(), "no-such-store-here"))).not.toBe("2.13.0")
    } finally {
      fs.rmSync(store, { recursive: true, force: true })
    }
  })

  it("lets the provider's validateOptions go on to the options on a supported Medusa", () => {
    // With this repository's Medusa the check passes and the options' own errors show.
    expect(() => CoinGateProviderService.validateOptions({})).toThrow(/apiToken/)
  })
})

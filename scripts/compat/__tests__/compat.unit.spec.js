"use strict"
const { parseTarget, parseTargets, hostPackageJson, hostFiles, cacheKey, DASHBOARD_UI } = require("../host")
const { checkPackedFiles, belowFloor, DEFAULT_TARGETS, FLOOR } = require("../run")


describe("compat targets", () => {
  it("reads versions with an optional package manager, from a list or arguments, without duplicates", () => {
    expect(parseTarget("2.18.0")).toEqual({ version: "2.18.0", pm: "npm", tool: null, name: "npm", id: "npm-2.18.0" })
    expect(parseTarget(" 2.18.0:pnpm ")).toEqual({ version: "2.18.0", pm: "pnpm", tool: "pnpm@9", name: "pnpm", id: "pnpm-2.18.0" })
    expect(parseTarget("2.18.0:pnpm@10")).toEqual({ version: "2.18.0", pm: "pnpm", tool: "pnpm@10", name: "pnpm10", id: "pnpm10-2.18.0" })
    expect(parseTarget("2.18.0:pnpm@9").id).toBe("pnpm-2.18.0")
    expect(parseTarget("2.18.0:yarn").tool).toBe("yarn@1")
    expect(parseTargets("2.17.2,2.21.2").map((t) => t.id)).toEqual(["npm-2.17.2", "npm-2.21.2"])
    expect(parseTargets(["2.17.2", "2.18.0:pnpm 2.17.2:npm"]).map((t) => t.id)).toEqual(["npm-2.17.2", "pnpm-2.18.0"])
  })

  it("refuses what is not a version", () => {
    expect(() => parseTarget("latest")).toThrow(/bad compat target "latest"/)
    expect(() => parseTarget("2.18")).toThrow(/bad compat target/)
    expect(() => parseTarget("2.18.0:bun")).toThrow(/bad compat target/)
    expect(() => parseTarget("2.18.0:npm@10")).toThrow(/npm is the one running this suite/)
    expect(parseTarget("2.21.2:yarn").id).toBe("yarn-2.21.2")
  })

  it("defaults to the floor, the starter's 2.18.0 with npm and pnpm 10, and the latest", () => {
    expect(parseTargets(DEFAULT_TARGETS).map((t) => t.id)).toEqual(["npm-2.17.2", "npm-2.18.0", "pnpm10-2.18.0", "npm-2.21.2"])
    // The suite's floor is the provider's boot-time floor.
    const source = require("fs").readFileSync(require("path").join(__dirname, "../../../src/shared/medusa-version.ts"), "utf8")
    expect(/export const MEDUSA_FLOOR = "([^"]+)"/.exec(source)[1]).toBe(FLOOR)
  })

  it("knows which versions are below the floor", () => {
    expect(belowFloor("2.13.0")).toBe(true)
    expect(belowFloor("2.17.1")).toBe(true)
    expect(belowFloor("1.20.0")).toBe(true)
    expect(belowFloor("2.17.2")).toBe(false)
    expect(belowFloor("2.21.2")).toBe(false)
    expect(belowFloor("3.0.0")).toBe(false)
  })
})

describe("compat host store", () => {
  it("pins every @medusajs/* package to the version and @medusajs/ui to its dashboard's", () => {
    const pkg = hostPackageJson(parseTarget("2.18.0"))
    for (const name of ["@medusajs/admin-sdk", "@medusajs/cli", "@medusajs/framework", "@medusajs/medusa"]) {
      expect(pkg.dependencies[name]).toBe("2.18.0")
    }
    expect(pkg.dependencies["@medusajs/ui"]).toBe("4.2.0")
    expect(hostPackageJson(parseTarget("2.17.2")).dependencies["@medusajs/ui"]).toBe(DASHBOARD_UI["2.17.2"])
    expect(pkg.dependencies["medusa-payment-coingate"]).toBeUndefined() // the tarball is added by the package manager
    expect(() => hostPackageJson(parseTarget("2.99.0"))).toThrow(/no @medusajs\/ui version known for Medusa 2.99.0/)
  })

  it("configures the plugin and the provider as the README's install section does", () => {
    const files = hostFiles(parseTarget("2.21.2"))
    expect(files["medusa-config.ts"]).toContain('plugins: [{ resolve: "medusa-payment-coingate", options: {} }]')
    expect(files["medusa-config.ts"]).toContain('resolve: "medusa-payment-coingate/providers/coingate"')
    expect(files[".npmrc"]).toBeUndefined()
    expect(hostFiles(parseTarget("2.21.2:pnpm"))[".npmrc"]).toBe("auto-install-peers=true\n")
  })

  it("copies the demo seed with every file it imports", () => {
    const files = hostFiles(parseTarget("2.21.2"))
    expect(files["src/scripts/seed-demo.ts"]).toBeDefined()
    for (const [name, content] of Object.entries(files).filter(([n]) => n.startsWith("src/scripts/"))) {
      for (const [, spec] of content.matchAll(/from "(\.{1,2}\/[^"]+)"/g)) {
        const target = require("path").posix.join(require("path").posix.dirname(name), spec) + ".ts"
        expect([name, target, target in files]).toEqual([name, target, true])
      }
    }
  })

  it("keys the install cache on the dependencies: another version or package manager reinstalls, the same does not", () => {
    const key = (spec) => cacheKey(hostFiles(parseTarget(spec)))
    expect(key("2.18.0")).toBe(key("2.18.0"))
    expect(key("2.18.0")).not.toBe(key("2.21.2"))
    expect(key("2.18.0")).not.toBe(key("2.18.0:pnpm"))
  })
})

describe("packed file list", () => {
  const good = [
    "package.json",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    ".medusa/server/src/providers/coingate/index.js",
    ".medusa/server/src/modules/coingate/index.js",
    ".medusa/server/src/workflows/index.js",
    ".medusa/server/src/admin/index.mjs",
    ".medusa/server/src/admin/index.js",
    ".medusa/server/src/api/hooks/coingate/route.js",
    ".medusa/server/src/shared/medusa-version.js",
    "simulator/cli.js",
    "simulator/index.js",
    "simulator/README.md",
  ]
  it("accepts what a store needs", () => {
    expect(checkPackedFiles(good)).toEqual([])
  })
  it("names what is missing and what should not ship", () => {
    expect(checkPackedFiles(good.filter((f) => f !== "LICENSE"))).toEqual(["missing LICENSE"])
    expect(
      checkPackedFiles([
        ...good,
        ".medusa/server/src/lib/__tests__/amounts.unit.spec.js",
        "simulator/__tests__/api.unit.spec.js",
        ".medusa/server/bench/reconcile-pass.js",
        ".medusa/server/medusa-config.js",
        "docs/images/admin.png",
      ])
    ).toEqual([
      "should not ship .medusa/server/src/lib/__tests__/amounts.unit.spec.js",
      "should not ship simulator/__tests__/api.unit.spec.js",
      "should not ship .medusa/server/bench/reconcile-pass.js",
      "should not ship .medusa/server/medusa-config.js",
      "should not ship docs/images/admin.png",
    ])
  })
})

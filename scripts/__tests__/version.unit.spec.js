// One version everywhere a reader or CoinGate sees it: package.json (what `npm pack` names the tarball), its lockfile,
// src/coingate/version.ts (CoinGate's User-Agent; read as text), the newest CHANGELOG entry and the tarball the
// README and docs/install.md tell a store to install.
const fs = require("fs")
const path = require("path")
const { changelogVersion, tarballVersions, versionDisagreements } = require("../docs-check")

const ROOT = path.resolve(__dirname, "../..")
const read = (file) => fs.readFileSync(path.join(ROOT, file), "utf8")

describe("the version checks", () => {
  it("read the newest CHANGELOG entry and the tarball names", () => {
    expect(changelogVersion("# Changelog\n\n## 1.2.0 (Unreleased)\n\n## 1.1.0 (2026-01-01)\n")).toBe("1.2.0")
    expect(changelogVersion("# Changelog\n")).toBeNull()
    expect(tarballVersions("npm install ./medusa-payment-coingate-1.2.0.tgz; medusa-payment-coingate-<version>.tgz")).toEqual(["1.2.0"])
  })

  it("name each place that disagrees with package.json", () => {
    expect(versionDisagreements({ "package.json": "1.2.0", a: "1.2.0", b: ["1.2.0", "1.2.0"] })).toEqual([])
    expect(versionDisagreements({ "package.json": "1.2.0", a: "1.1.0", b: ["1.2.0", "1.0.0"], c: null })).toEqual([
      "a says 1.1.0, package.json 1.2.0",
      "b says 1.0.0, package.json 1.2.0",
      "c names no version",
    ])
  })
})

describe("the repository", () => {
  it("says one version in package.json, the lockfile, src/coingate/version.ts, the CHANGELOG and the install docs", () => {
    const lock = JSON.parse(read("package-lock.json"))
    const versionTs = read("src/coingate/version.ts").match(/PLUGIN_VERSION\s*=\s*"([^"]+)"/)
    expect(
      versionDisagreements({
        "package.json": JSON.parse(read("package.json")).version,
        "package-lock.json": [lock.version, lock.packages[""].version],
        "src/coingate/version.ts": versionTs ? versionTs[1] : null,
        "CHANGELOG.md's newest entry": changelogVersion(read("CHANGELOG.md")),
        "README.md's tarball": tarballVersions(read("README.md")),
        "docs/install.md's tarball": tarballVersions(read("docs/install.md")),
      })
    ).toEqual([])
  })

  it("names the tarball in the README's install step and in docs/install.md", () => {
    expect(tarballVersions(read("README.md")).length).toBeGreaterThan(0)
    expect(tarballVersions(read("docs/install.md")).length).toBeGreaterThan(0)
  })
})

import { PLUGIN_VERSION } from "../version"

describe("PLUGIN_VERSION", () => {
  it("is package.json's version (it is sent in CoinGate's User-Agent)", () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    expect(PLUGIN_VERSION).toBe(require("../../../package.json").version)
  })
})

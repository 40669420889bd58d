"use strict"

const http = require("http")
const { portsFromEnv, medusaEnv, databaseUrlFor, startStaticServer, storefrontUrlFromEnv } = require("../stack")

function get(port, path) {
  return new Promise((resolve, reject) => {
    // A raw request: http.get would normalise "/../x" away before sending it.
    const req = http.request({ host: "127.0.0.1", port, path, method: "GET" }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (c) => (body += c))
      res.on("end", () => resolve({ status: res.statusCode, type: res.headers["content-type"], body }))
    })
    req.on("error", reject)
    req.end()
  })
}

describe("demo stack helpers", () => {
  it("reads ports from DEMO_*_PORT, with the demo's defaults", () => {
    expect(portsFromEnv({})).toEqual({ medusa: 9000, simulator: 4010, web: 8090 })
    expect(portsFromEnv({ DEMO_MEDUSA_PORT: "9100", DEMO_SIMULATOR_PORT: "4110", DEMO_WEB_PORT: "8100" })).toEqual({
      medusa: 9100,
      simulator: 4110,
      web: 8100,
    })
    expect(portsFromEnv({ DEMO_WEB_PORT: "nope", DEMO_MEDUSA_PORT: "70000" })).toEqual({ medusa: 9000, simulator: 4010, web: 8090 })
  })

  it("points the store at the simulator and the checkout page's return page", () => {
    const env = medusaEnv({
      databaseUrl: "postgres://u@localhost:5432/db",
      ports: { medusa: 9100, simulator: 4110, web: 8100 },
      simUrl: "http://127.0.0.1:4110",
      adminDisabled: false,
      base: { PATH: "/bin" },
    })
    expect(env).toMatchObject({
      PATH: "/bin",
      DATABASE_URL: "postgres://u@localhost:5432/db",
      PORT: "9100",
      BACKEND_URL: "http://localhost:9100",
      COINGATE_API_URL: "http://127.0.0.1:4110",
      COINGATE_SUCCESS_URL: "http://localhost:8100/return.html?cart={cart_id}&session={session_id}",
      COINGATE_CANCEL_URL: "http://localhost:8100/return.html?cart={cart_id}&session={session_id}",
      MEDUSA_ADMIN_DISABLED: "false",
    })
    expect(env.STORE_CORS.split(",")).toContain("http://localhost:8100")
  })

  it("with DEMO_STOREFRONT_URL, sends the shopper back to that storefront and lets it call the store API", () => {
    expect(storefrontUrlFromEnv({})).toBeNull()
    expect(storefrontUrlFromEnv({ DEMO_STOREFRONT_URL: "http://localhost:8000/dk" })).toBe("http://localhost:8000")
    expect(() => storefrontUrlFromEnv({ DEMO_STOREFRONT_URL: "ftp://x" })).toThrow(/http/)
    expect(() => storefrontUrlFromEnv({ DEMO_STOREFRONT_URL: "localhost:8000" })).toThrow()
    const env = medusaEnv({
      databaseUrl: "postgres://u@localhost:5432/db",
      ports: { medusa: 9000, simulator: 4010, web: 8090 },
      simUrl: "http://127.0.0.1:4010",
      adminDisabled: false,
      storefrontUrl: "http://localhost:8000",
      base: {},
    })
    expect(env.COINGATE_SUCCESS_URL).toBe("http://localhost:8000/coingate/return?cart_id={cart_id}&session_id={session_id}")
    expect(env.COINGATE_CANCEL_URL).toBe(env.COINGATE_SUCCESS_URL)
    expect(env.STORE_CORS.split(",")).toEqual(expect.arrayContaining(["http://localhost:8000", "http://localhost:8090"]))
  })

  it("encodes database credentials", () => {
    expect(databaseUrlFor({ host: "localhost", port: 5432, user: "postgres", password: "" }, "d")).toBe("postgres://postgres@localhost:5432/d")
    expect(databaseUrlFor({ host: "localhost", port: 5499, user: "a b", password: "p@ss" }, "d")).toBe("postgres://a%20b:p%40ss@localhost:5499/d")
  })

  describe("static server", () => {
    let server
    beforeAll(async () => {
      server = await startStaticServer({ port: 0, config: { publishable_key: "pk_test" } })
    })
    afterAll(() => server.close())

    it("serves the checkout page and its modules", async () => {
      const index = await get(server.port, "/")
      expect(index.status).toBe(200)
      expect(index.type).toMatch(/^text\/html/)
      expect(index.body).toContain('id="checkout"')
      const js = await get(server.port, "/return.js")
      expect(js.type).toMatch(/^text\/javascript/)
    })

    it("answers /config.json from memory", async () => {
      const res = await get(server.port, "/config.json")
      expect(JSON.parse(res.body)).toEqual({ publishable_key: "pk_test" })
    })

    it("serves nothing outside demo/", async () => {
      // Dot segments are normalised away by URL parsing (then not found); an encoded slash is refused.
      expect((await get(server.port, "/../package.json")).status).toBe(404)
      expect((await get(server.port, "/%2e%2e/package.json")).status).toBe(404)
      expect((await get(server.port, "/..%2fpackage.json")).status).toBe(403)
      expect((await get(server.port, "/nope.html")).status).toBe(404)
    })
  })
})

// Pure helpers of scripts/test.js and scripts/postgres.js. Part of the unit suite (jest.config.js);
// alone: npm run test:unit -- scripts/__tests__/test-runner.unit.spec.js
const fs = require("fs")
const os = require("os")
const path = require("path")
const { parseArgs, countSuite, summarize, readSoakSummary } = require("../test")
const soakRunner = require("../../integration-tests/soak/run")
const { readConfig, isLoopback } = require("../postgres")

describe("parseArgs", () => {
  it("runs every suite by default and passes everything else to jest", () => {
    expect(parseArgs(["--testPathPattern", "callback"])).toEqual({
      suites: ["unit", "integration", "soak", "browser"],
      jestArgs: ["--testPathPattern", "callback"],
    })
  })
  it("--unit / --integration pick one suite", () => {
    expect(parseArgs(["--unit"]).suites).toEqual(["unit"])
    expect(parseArgs(["-t", "x", "--integration"])).toEqual({ suites: ["integration"], jestArgs: ["-t", "x"] })
    expect(parseArgs(["--integration", "--unit"]).suites).toEqual(["unit", "integration"])
    expect(parseArgs(["--browser"]).suites).toEqual(["browser"])
    expect(parseArgs(["--soak"]).suites).toEqual(["soak"])
  })
})

describe("the reduced soak", () => {
  it("run.js takes --reduced and --summary=FILE, and leaves the rest to jest", () => {
    expect(soakRunner.parseArgs(["--reduced", "crash", "--summary=/tmp/s.json", "-t", "x"])).toEqual({
      reduced: true,
      summary: "/tmp/s.json",
      jestArgs: ["crash", "-t", "x"],
    })
    expect(soakRunner.parseArgs([]).reduced).toBe(false)
    // Every soak-only path is taken in CI too.
    expect(soakRunner.REDUCED_SIZES.SOAK).toBe("1")
  })

  // The soak cannot rot silently: a size nobody reads would make `npm run test:soak` run the small default.
  const specsDir = path.join(__dirname, "../../integration-tests")
  const specFiles = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? specFiles(path.join(dir, e.name)) : e.name.endsWith(".spec.ts") ? [path.join(dir, e.name)] : []
    )
  it("every soak size is read by a spec the soak runs", () => {
    const micromatch = require("micromatch")
    const soakFiles = specFiles(specsDir).filter((f) => soakRunner.SPECS.some((s) => micromatch.isMatch(f, s.pattern)) || f.includes("/multi-instance/"))
    const read = (key) => soakFiles.filter((f) => fs.readFileSync(f, "utf8").includes(`process.env.${key}`))
    for (const key of new Set([...Object.keys(soakRunner.SIZES), ...Object.keys(soakRunner.REDUCED_SIZES)])) {
      expect({ key, readBy: read(key).length > 0 }).toEqual({ key, readBy: true })
    }
  })

  const summaryFile = (content) => {
    const file = path.join(os.tmpdir(), `soak-summary-test-${process.pid}-${Math.random()}.json`)
    if (content !== undefined) fs.writeFileSync(file, content)
    return file
  }
  it("takes the soak runner's counts", () => {
    const file = summaryFile(JSON.stringify({ passed: 9, failed: 0, skipped: 1, notes: ["several-instances suite not run"] }))
    expect(readSoakSummary(file, 0)).toEqual({ passed: 9, failed: 0, skipped: 1, notes: ["several-instances suite not run"] })
    expect(fs.existsSync(file)).toBe(false)
  })
  it("counts a runner without a summary, or failing with none failed, as one failure", () => {
    expect(readSoakSummary(summaryFile(), 1)).toMatchObject({ passed: 0, failed: 1 })
    expect(readSoakSummary(summaryFile(JSON.stringify({ passed: 3, failed: 0 })), 1)).toMatchObject({ passed: 3, failed: 1 })
  })
})

describe("countSuite", () => {
  const report = (o) => ({ numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, numRuntimeErrorTestSuites: 0, ...o })

  it("takes jest's counts", () => {
    expect(countSuite({ exitCode: 1, report: report({ numPassedTests: 7, numFailedTests: 2, numPendingTests: 1 }) })).toMatchObject({
      passed: 7,
      failed: 2,
      skipped: 1,
    })
  })
  it("no test files is 0 tests, not a failure", () => {
    expect(countSuite({ exitCode: 0, report: report({}) })).toMatchObject({ passed: 0, failed: 0 })
  })
  it("a test file that fails to load counts as a failure", () => {
    expect(countSuite({ exitCode: 1, report: report({ numPassedTests: 3, numRuntimeErrorTestSuites: 1 }) })).toMatchObject({
      passed: 3,
      failed: 1,
    })
  })
  it("a crash without report, a non-zero exit without failures, or no database each count as one failure", () => {
    expect(countSuite({ exitCode: 1, report: null }).failed).toBe(1)
    expect(countSuite({ exitCode: 1, report: report({ numPassedTests: 4 }) })).toMatchObject({ passed: 4, failed: 1 })
    expect(countSuite({ error: "no PostgreSQL" })).toMatchObject({ passed: 0, failed: 1 })
  })
})

describe("summarize", () => {
  it("prints the line CI looks for", () => {
    const { line } = summarize([
      { passed: 3, failed: 0 },
      { passed: 10, failed: 2 },
    ])
    expect(line).toBe("13 passed, 2 failed")
    expect(line).toMatch(/^\d+ passed, \d+ failed$/)
  })
  it("says how many were skipped (a browser suite without Chromium), never counting them as passed", () => {
    const { line, passed } = summarize([
      { passed: 3, failed: 0, skipped: 0 },
      { passed: 0, failed: 0, skipped: 4 },
    ])
    expect(line).toBe("3 passed, 0 failed, 4 skipped")
    expect(passed).toBe(3)
  })
  it("no suites: 0 passed, 0 failed", () => {
    expect(summarize([]).line).toBe("0 passed, 0 failed")
  })
})

describe("readConfig", () => {
  it("defaults to postgres@localhost:5432 without password", () => {
    expect(readConfig({})).toEqual({ host: "localhost", port: 5432, user: "postgres", password: "" })
  })
  it("reads DB_* and ignores a bad port", () => {
    expect(readConfig({ DB_HOST: "db", DB_PORT: "6543", DB_USERNAME: "u", DB_PASSWORD: "p" })).toEqual({
      host: "db",
      port: 6543,
      user: "u",
      password: "p",
    })
    expect(readConfig({ DB_PORT: "nope" }).port).toBe(5432)
  })
})

describe("isLoopback", () => {
  it("recognises local hosts, which are handed back as localhost", () => {
    for (const h of ["localhost", "127.0.0.1", "::1", "[::1]"]) expect(isLoopback(h)).toBe(true)
    for (const h of ["db", "10.0.0.5", "postgres.example.com"]) expect(isLoopback(h)).toBe(false)
  })
})

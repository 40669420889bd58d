const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

// TEST_TYPE picks the suite: `unit` (pure logic, the simulator and scripts, no database),
// `integration` (a real Medusa app on PostgreSQL talking to the simulator) or `browser`
// (headless Chromium driving the demo store and the admin).
const suites = {
  unit: [
    "**/src/**/__tests__/**/*.unit.spec.[jt]s",
    "**/simulator/**/__tests__/**/*.unit.spec.[jt]s",
    "**/scripts/**/__tests__/**/*.unit.spec.[jt]s",
  ],
  integration: ["**/integration-tests/http/**/*.spec.[jt]s"],
  browser: ["**/integration-tests/browser/**/*.spec.[jt]s"],
}

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript", decorators: true, tsx: true }, target: "es2021" } },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/", "<rootDir>/.pg-data/", "<rootDir>/.demo/"],
  setupFiles: ["./integration-tests/setup.js"],
  testMatch: suites[process.env.TEST_TYPE] ?? [...suites.unit, ...suites.integration],
}

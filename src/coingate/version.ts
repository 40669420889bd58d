/** The package version, sent in CoinGate's User-Agent. A unit test keeps it equal to package.json's. */
export const PLUGIN_VERSION = "0.2.0"

"use strict"
/** What the benchmark ran on: CPU, cores, memory, Node, PostgreSQL, load. */
const os = require("os")
const fs = require("fs")

function cpuModel() {
  const cpus = os.cpus()
  if (cpus.length && cpus[0].model) return cpus[0].model.trim()
  try {
    const m = /model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))
    if (m) return m[1].trim()
  } catch {}
  return "unknown"
}

async function describeMachine(pg) {
  let postgres = "unknown"
  try {
    const { rows } = await pg.query("SHOW server_version")
    postgres = rows[0].server_version
  } catch {}
  return {
    cpu: cpuModel(),
    cores: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  }
}

module.exports = { describeMachine }

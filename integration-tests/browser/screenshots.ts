import fs from "fs"
import path from "path"
import { REPO_ROOT } from "../helpers/stack"

/**
 * Where the browser suites save their screenshots: a git-ignored folder, so `npm test` leaves the
 * tree as it found it. `npm run docs:screenshots` runs the suites with SCREENSHOTS_DIR=docs/screenshots
 * to refresh the images the documentation shows.
 */
export function screenshotsDir(): string {
  const dir = process.env.SCREENSHOTS_DIR
    ? path.resolve(REPO_ROOT, process.env.SCREENSHOTS_DIR)
    : path.join(REPO_ROOT, "integration-tests", ".artifacts", "screenshots")
  fs.mkdirSync(dir, { recursive: true })
  return dir
}

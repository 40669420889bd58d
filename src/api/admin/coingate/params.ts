import { MedusaError } from "@medusajs/framework/utils"

const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/

/** Checks a path parameter that must be a Medusa-style id; a clear 400 otherwise. */
export function requireId(value: unknown, what: string): string {
  if (typeof value !== "string" || !ID_PATTERN.test(value)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${what} must be an id such as order_01H... (letters, digits, _ and -).`)
  }
  return value
}

import { MedusaError } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"

/**
 * The rules every admin list query follows (the console's list, totals and CSV, and the callback log;
 * docs/admin.md, "Query parameters"), as zod pieces for Medusa's `validateAndTransformQuery`
 * (src/api/middlewares.ts). One rule per idea, the stricter of the two the routes had before:
 * - a parameter is given once, as text; an unknown one is refused, named;
 * - `limit` 1..100 (default 20), `offset` 0..1,000,000;
 * - a date is an ISO date (UTC midnight) or a date-time with its offset; a date-only end means the end of that day;
 * - a range's start is before its end (equal is refused), and at most 366 days long, a missing end counting as now.
 * Every failure is a custom issue with a message naming the parameter, which Medusa answers as a 400.
 */

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100
export const MAX_OFFSET = 1_000_000
export const MAX_RANGE_DAYS = 366
export const DAY_MS = 24 * 60 * 60 * 1000

type Ctx = z.RefinementCtx
const fail = (ctx: Ctx, message: string) => {
  ctx.addIssue({ code: "custom", message })
  return z.NEVER
}

/** One text value, trimmed; repeated parameters and nested objects are refused (null: an issue was added). */
function single(name: string, v: unknown, ctx: Ctx): string | undefined | null {
  if (v === undefined) return undefined
  if (typeof v !== "string") {
    fail(ctx, `\`${name}\` must be given once, as text.`)
    return null
  }
  return v.trim()
}

/** Text, at most `max` characters; empty means not given. */
export const text = (name: string, max: number) =>
  z.unknown().transform((v, ctx): string | undefined => {
    const s = single(name, v, ctx)
    if (s === null) return z.NEVER
    if (s === undefined || s === "") return undefined
    if (s.length > max) return fail(ctx, `\`${name}\` must be at most ${max} characters.`)
    return s
  })

/** Text matching `pattern` (checked, never reaching SQL otherwise); empty means not given. */
export const pattern = (name: string, re: RegExp, what: string) =>
  z.unknown().transform((v, ctx): string | undefined => {
    const s = single(name, v, ctx)
    if (s === null) return z.NEVER
    if (s === undefined || s === "") return undefined
    return re.test(s) ? s : fail(ctx, `\`${name}\` must be ${what}.`)
  })

/** A whole number from `min` to `max`. */
export const wholeNumber = (name: string, min: number, max: number) =>
  z.unknown().transform((v, ctx): number | undefined => {
    const s = single(name, v, ctx)
    if (s === null) return z.NEVER
    if (s === undefined) return undefined
    if (!/^\d{1,9}$/.test(s) || Number(s) < min || Number(s) > max) {
      return fail(ctx, `\`${name}\` must be a whole number from ${min} to ${max}, got "${s.slice(0, 40)}".`)
    }
    return Number(s)
  })

export const limit = () => wholeNumber("limit", 1, MAX_LIMIT)
export const offset = () => wholeNumber("offset", 0, MAX_OFFSET)

export const booleanText = (name: string) =>
  z.unknown().transform((v, ctx): boolean | undefined => {
    const s = single(name, v, ctx)
    if (s === null) return z.NEVER
    if (s === undefined) return undefined
    if (s !== "true" && s !== "false") return fail(ctx, `\`${name}\` must be true or false.`)
    return s === "true"
  })

/** A comma list of `allowed` values, deduplicated; empty means not given. `lowerCase` accepts any case. */
export const commaList = <T extends string>(name: string, allowed: readonly T[], lowerCase: boolean) =>
  z.unknown().transform((v, ctx): T[] | undefined => {
    const s = single(name, v, ctx)
    if (s === null) return z.NEVER
    if (s === undefined || s === "") return undefined
    const values = [...new Set(s.split(",").map((x) => (lowerCase ? x.trim().toLowerCase() : x.trim())))]
    const wrong = values.filter((x) => !(allowed as readonly string[]).includes(x))
    if (wrong.length) return fail(ctx, `\`${name}\` is a comma list of ${allowed.join(", ")}; got "${s.slice(0, 60)}".`)
    return values as T[]
  })

/** One of `allowed`. */
export const oneOf = <T extends string>(name: string, allowed: readonly T[]) =>
  z.unknown().transform((v, ctx): T | undefined => {
    const s = single(name, v, ctx)
    if (s === null) return z.NEVER
    if (s === undefined) return undefined
    return (allowed as readonly string[]).includes(s) ? (s as T) : fail(ctx, `\`${name}\` must be one of ${allowed.join(", ")}.`)
  })

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * An ISO date (UTC midnight, a real calendar day) or a date-time with its offset (without one it is
 * ambiguous). `end`: a date-only value means the end of that day (the next midnight; ends are exclusive).
 */
export const isoDate = (name: string, end: boolean) =>
  z.unknown().transform((v, ctx): Date | undefined => {
    const s = single(name, v, ctx)
    if (s === null) return z.NEVER
    if (s === undefined || s === "") return undefined
    const dateOnly = DATE.test(s)
    const d = new Date(dateOnly ? `${s}T00:00:00Z` : s)
    if ((!dateOnly && !DATE_TIME.test(s)) || Number.isNaN(d.getTime()) || (dateOnly && d.toISOString().slice(0, 10) !== s)) {
      return fail(ctx, `\`${name}\` must be an ISO date (2026-01-31) or date-time with its offset (2026-01-31T12:00:00Z), got "${s.slice(0, 40)}".`)
    }
    return dateOnly && end ? new Date(d.getTime() + DAY_MS) : d
  })

/** Refuses any parameter not in `allowed`, naming it (before anything else is read). */
export function knownKeys(allowed: readonly string[]) {
  return (raw: Record<string, unknown>, ctx: Ctx) => {
    const unknown = Object.keys(raw).filter((k) => !allowed.includes(k))
    if (!unknown.length) return
    const names = unknown.map((k) => `\`${k.slice(0, 40)}\``).join(", ")
    ctx.addIssue({ code: "custom", message: `Unknown query parameter${unknown.length > 1 ? "s" : ""} ${names}; allowed: ${allowed.join(", ")}.` })
  }
}

/** The range rule: start before end, at most 366 days, a missing end counting as `now`. */
export function checkRange(ctx: Ctx, names: [from: string, to: string], from: Date | undefined, to: Date | undefined, now: Date) {
  const end = to ?? (from ? now : undefined)
  if (!from || !end) return
  if (from.getTime() >= end.getTime()) {
    fail(ctx, `\`${names[0]}\` must be before \`${names[1]}\` (it must not be after or equal to it; a missing \`${names[1]}\` is now).`)
  } else if (end.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    fail(ctx, `The range from \`${names[0]}\` to \`${names[1]}\` (or now) must be at most ${MAX_RANGE_DAYS} days.`)
  }
}

/**
 * Parses `raw` with `schema` outside a route (the same 400 as the middleware: Medusa's INVALID_DATA with
 * the issues' messages), for code and tests that call the parser directly.
 */
export function parseQuery<T>(schema: z.ZodType<T>, raw: Record<string, unknown>): T {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid request: ${result.error.issues.slice(0, 3).map((i) => i.message).join("; ")}`)
}

import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ConsoleKind, ConsoleQuery, parseConsoleQuery } from "../../../../console/filters"

/**
 * The console routes' query validation (src/api/middlewares.ts): a 400 naming the parameter for anything
 * unknown or malformed, before the route runs. The parsed query is kept in `req.validatedQuery`.
 */
export function validateConsoleQuery(kind: ConsoleKind) {
  return (req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) => {
    try {
      ;(req as any).validatedQuery = { console: parseConsoleQuery(req.query as Record<string, unknown>, kind) }
      next()
    } catch (e) {
      next(e)
    }
  }
}

/** The parsed query; parsed here when the middleware did not run (a store that mounts the route itself). */
export function consoleQueryOf(req: MedusaRequest, kind: ConsoleKind): ConsoleQuery {
  return ((req as any).validatedQuery?.console as ConsoleQuery | undefined) ?? parseConsoleQuery(req.query as Record<string, unknown>, kind)
}

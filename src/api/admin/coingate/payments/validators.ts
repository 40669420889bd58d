import type { MedusaRequest } from "@medusajs/framework/http"
import { ConsoleKind, ConsoleQuery, parseConsoleQuery } from "../../../../console/filters"

/**
 * The parsed console query: `validateAndTransformQuery` with `consoleQuerySchema` (src/api/middlewares.ts)
 * leaves it in `req.validatedQuery`; parsed here with the same schema when the middleware did not run (a
 * store that mounts the route itself).
 */
export function consoleQueryOf(req: MedusaRequest, kind: ConsoleKind): ConsoleQuery {
  const validated = (req as any).validatedQuery as Partial<ConsoleQuery> | undefined
  return validated?.filters ? (validated as ConsoleQuery) : parseConsoleQuery(req.query as Record<string, unknown>, kind)
}

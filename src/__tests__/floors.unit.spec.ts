import fs from "fs"
import path from "path"
import ts from "typescript"

/**
 * The floor plan of src/ (docs/ARCHITECTURE.md, "Floors"): a file imports its own floor or lower ones,
 * never a higher one, so the code reads bottom-up and no two folders depend on each other. Every
 * import counts: `import`, `export ... from`, `import type`, `import("...")` and `require("...")`.
 */
export const FLOORS: ReadonlyArray<readonly [floor: number, folder: string]> = [
  [1, "coingate"],
  [1, "shared"],
  [2, "payments/rules"],
  [2, "refunds/rules"],
  [3, "gateway"],
  [3, "providers"],
  [4, "payments"],
  [4, "refunds"],
  [4, "callback-log"],
  [4, "console"],
  [4, "modules"],
  [5, "workflows"],
  [6, "sources"],
  [7, "api"],
  [7, "jobs"],
  [7, "subscribers"],
  [7, "admin"],
  [7, "scripts"],
  [7, "migration-scripts"],
  [7, "__tests__"],
]
/** Apart: imports only itself; the server may import its types (the sync answer), never its code. */
const STOREFRONT = "storefront"
/** The admin is a browser bundle: the shared pure modules of floor 1, and only types from floors 2 to 4. */
const ADMIN = "admin"

const SRC = path.resolve(__dirname, "..")

export type Import = { from: string; to: string; typeOnly: boolean }

/** The folder of `FLOORS` a file (relative to src/, with "/") belongs to: the longest matching prefix. */
export function folderOf(file: string): string | null {
  let best: string | null = null
  for (const [, folder] of [...FLOORS, [0, STOREFRONT] as const]) {
    if ((file === folder || file.startsWith(folder + "/")) && (!best || folder.length > best.length)) best = folder
  }
  return best
}

export const floorOf = (folder: string): number | null => FLOORS.find(([, f]) => f === folder)?.[0] ?? null

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) sourceFiles(full, out)
    else if (/\.(ts|tsx|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full)
  }
  return out
}

function resolveInSrc(fromFile: string, spec: string): string | null {
  if (!spec.startsWith(".")) return null
  const base = path.resolve(path.dirname(fromFile), spec)
  const candidates = [base, ...[".ts", ".tsx", ".js", ".json"].map((e) => base + e), path.join(base, "index.ts"), path.join(base, "index.tsx")]
  const hit = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile())
  const rel = hit ? path.relative(SRC, hit).split(path.sep).join("/") : null
  return rel && !rel.startsWith("..") ? rel : null
}

/** Every import of `file` (absolute) that lands inside src/, read with the TypeScript parser. */
export function importsOf(file: string, text = fs.readFileSync(file, "utf8")): Import[] {
  const kind = file.endsWith("x") ? ts.ScriptKind.TSX : file.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind)
  const found: Import[] = []
  const from = path.relative(SRC, file).split(path.sep).join("/")
  const add = (spec: string, typeOnly: boolean) => {
    const to = resolveInSrc(file, spec)
    if (to) found.push({ from, to, typeOnly })
  }
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : null
      const typeOnly = !!clause && (clause.isTypeOnly || (!clause.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)))
      add(node.moduleSpecifier.text, typeOnly)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text, node.isTypeOnly)
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true)
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword
      const isRequire = ts.isIdentifier(callee) && callee.text === "require"
      // jest.mock("../x") names a module the test loads: it counts as an import.
      const isMock = ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "jest"
      if (isImport || isRequire || isMock) add(node.arguments[0].text, false)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** Why an import breaks the plan, or null when it is allowed. */
export function violation({ from, to, typeOnly }: Import): string | null {
  const a = folderOf(from)
  const b = folderOf(to)
  const arrow = `${from} -> ${to}`
  if (!a) return `${arrow} (${from} is in no floor: add its folder to FLOORS)`
  if (!b) return `${arrow} (${to} is in no floor: add its folder to FLOORS)`
  if (a === b) return null
  if (b === STOREFRONT) return typeOnly ? null : `${arrow} (the storefront is apart: the server imports its types only)`
  if (a === STOREFRONT) return `${arrow} (the storefront imports nothing of the server)`
  const fa = floorOf(a)!
  const fb = floorOf(b)!
  if (a === ADMIN) {
    if (fb === 1 || (typeOnly && fb <= 4)) return null
    return `${arrow} (the admin takes code from floor 1 and types from floors 1-4 only; floor ${fb})`
  }
  return fb > fa ? `${arrow} (floor ${fa} imports floor ${fb})` : null
}

export function allImports(): Import[] {
  return sourceFiles(SRC).flatMap((file) => importsOf(file))
}

describe("the floor plan of src/", () => {
  const imports = allImports()

  it("reads the imports of every file (a sanity check of the reader)", () => {
    expect(imports.length).toBeGreaterThan(300)
    expect(imports.some((i) => i.from === "api/middlewares.ts")).toBe(true)
  })

  it("no file imports a higher floor (0 exceptions)", () => {
    expect(imports.map(violation).filter(Boolean)).toEqual([])
  })

  it("no two folders import each other", () => {
    const edges = new Set(imports.map((i) => `${folderOf(i.from)} ${folderOf(i.to)}`))
    const loops = [...edges]
      .map((e) => e.split(" "))
      .filter(([a, b]) => a < b && edges.has(`${b} ${a}`))
      .map(([a, b]) => `${a} <-> ${b}`)
    expect(loops).toEqual([])
  })

  it("names the arrow of a higher-floor import, and lets the allowed ones through", () => {
    expect(violation({ from: "payments/rules/plan.ts", to: "workflows/index.ts", typeOnly: false })).toBe(
      "payments/rules/plan.ts -> workflows/index.ts (floor 2 imports floor 5)"
    )
    expect(violation({ from: "admin/lib/x.ts", to: "console/views.ts", typeOnly: false })).toMatch(/admin takes/)
    expect(violation({ from: "admin/lib/x.ts", to: "console/views.ts", typeOnly: true })).toBeNull()
    expect(violation({ from: "payments/records.ts", to: "storefront/index.ts", typeOnly: false })).toMatch(/storefront is apart/)
    expect(violation({ from: "workflows/steps/a.ts", to: "payments/records.ts", typeOnly: false })).toBeNull()
    const parsed = importsOf(path.join(SRC, "payments/x.ts"), 'const w = await import("../workflows/index")\nimport type { A } from "../sources/reconcile"')
    expect(parsed.map(violation)).toEqual([
      "payments/x.ts -> workflows/index.ts (floor 4 imports floor 5)",
      "payments/x.ts -> sources/reconcile.ts (floor 4 imports floor 6)",
    ])
  })
})

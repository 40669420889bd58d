#!/usr/bin/env bash
# scripts/try-starter.sh <dtc-starter checkout>
#
# Tries the CoinGate storefront guide (docs/storefront.md) on Medusa's starter, dtc-starter, with this
# repository's demo (`npm run demo`) as its backend:
#   1. applies docs/dtc-starter/coingate.patch to the checkout (made against DTC_COMMIT; skipped if applied),
#   2. builds this package (npm run build), packs it, and adds the pack to apps/storefront (pnpm via `npx pnpm@9`,
#      as the guide says; the plugin's peers are optional, so no backend package is installed for the storefront),
#   3. type-checks the storefront (npx tsc --noEmit),
#   4. starts the demo with DEMO_STOREFRONT_URL pointing at the storefront, builds the storefront against it
#      (next build) and starts it (next start),
#   5. drives it in headless Chromium (scripts/try-starter/drive.js): redirect first: pay; cancel then pay; back
#      during confirming; pay, close the tab, come back (notice of the order, new cart); then restarts the storefront
#      with COINGATE_FLOW=order_first and drives order first: pay (order placed before the redirect); cancel then
#      Try again (a copy of the cart). Screenshots go to SCREENSHOTS_DIR (default docs/screenshots).
#
# Environment: STARTER_PORT (8000), DEMO_MEDUSA_PORT (9000), DEMO_SIMULATOR_PORT (4010), DEMO_WEB_PORT (8090),
# DEMO_DB_NAME (medusa_coingate_starter), CHROMIUM_PATH (/usr/bin/chromium), PNPM ("npx -y pnpm@9"),
# SKIP_BUILD=1 (reuse an earlier `next build`). PostgreSQL as for `npm run demo` (DB_*).
set -euo pipefail

DTC_COMMIT=9233262
REPO="$(cd "$(dirname "$0")/.." && pwd)"
STARTER="${1:?usage: scripts/try-starter.sh <path to a dtc-starter checkout>}"
STARTER="$(cd "$STARTER" && pwd)"
SF="$STARTER/apps/storefront"
PATCH="$REPO/docs/dtc-starter/coingate.patch"
PNPM="${PNPM:-npx -y pnpm@9}"
STARTER_PORT="${STARTER_PORT:-8000}"
export DEMO_MEDUSA_PORT="${DEMO_MEDUSA_PORT:-9000}"
export DEMO_DB_NAME="${DEMO_DB_NAME:-medusa_coingate_starter}"
export DEMO_STOREFRONT_URL="http://localhost:$STARTER_PORT"
LOGS="$REPO/.demo/try-starter"
mkdir -p "$LOGS"
say() { printf '[try-starter] %s\n' "$*"; }

[ -d "$SF" ] || { echo "no apps/storefront in $STARTER" >&2; exit 1; }
head="$(git -C "$STARTER" rev-parse --short=7 HEAD 2>/dev/null || echo unknown)"
[ "$head" = "$DTC_COMMIT" ] || say "note: the patch was made on dtc-starter $DTC_COMMIT; this checkout is at $head"

if git -C "$STARTER" apply --reverse --check "$PATCH" 2>/dev/null; then
  say "patch already applied"
else
  git -C "$STARTER" apply "$PATCH"
  say "applied $(basename "$PATCH")"
fi

say "building and packing medusa-payment-coingate"
(cd "$REPO" && npm run build >"$LOGS/build.log" 2>&1)
PACK_DIR="$LOGS/pack" && mkdir -p "$PACK_DIR"
NEW_PACK="$LOGS/pack-new" && rm -rf "$NEW_PACK" && mkdir -p "$NEW_PACK"
(cd "$REPO" && npm pack --pack-destination "$NEW_PACK" >"$LOGS/pack.log" 2>&1)
# The pack's name carries its content's hash: pnpm keeps what it once installed from a file: path of the same name.
# Earlier packs stay in PACK_DIR: an earlier run's pack is still in the storefront's package.json, and
# `pnpm install` fails when that file is gone.
PACKED="$(ls "$NEW_PACK"/*.tgz)"
TGZ="$PACK_DIR/$(basename "${PACKED%.tgz}")-$(sha256sum "$PACKED" | cut -c1-12).tgz"
mv "$PACKED" "$TGZ" && rmdir "$NEW_PACK"
say "adding $(basename "$TGZ") to apps/storefront (log: $LOGS/pnpm.log)"
(cd "$STARTER" && $PNPM install --filter @dtc/storefront >"$LOGS/pnpm.log" 2>&1 &&
  $PNPM --filter @dtc/storefront add "$TGZ" >>"$LOGS/pnpm.log" 2>&1)
# What pnpm said about the plugin's peers (optional: no backend package is added for the storefront).
# (the plugin's line and the notes under it, up to the next package at its level)
awk '/─┬ medusa-payment-coingate/ { on = 1; print; next } on && /^[│ ]+[├└]── / { print; next } { on = 0 }' "$LOGS/pnpm.log" |
  sed 's/^/[try-starter] pnpm: /' | grep . || say "pnpm: no peer dependency notes on medusa-payment-coingate"

say "type-checking the storefront (npx tsc --noEmit)"
(cd "$SF" && npx tsc --noEmit) && say "tsc --noEmit: no errors"

PIDS=()
cleanup() {
  # Newest first: the storefront, then the demo (which stops its Medusa store and simulator on SIGTERM).
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill -TERM -- "-${PIDS[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

say "starting the demo backend (DEMO_STOREFRONT_URL=$DEMO_STOREFRONT_URL; log: $LOGS/demo.log)"
rm -f "$REPO/demo/config.json"
# exec setsid: the background job is the session (and process group) leader, so cleanup ends all of it.
(cd "$REPO" && exec setsid node scripts/demo.js >"$LOGS/demo.log" 2>&1) &
PIDS+=($!)
for _ in $(seq 1 300); do
  grep -q "demo store is ready" "$LOGS/demo.log" 2>/dev/null && break
  grep -q "\[demo\] failed" "$LOGS/demo.log" 2>/dev/null && { cat "$LOGS/demo.log" >&2; exit 1; }
  sleep 1
done
grep -q "demo store is ready" "$LOGS/demo.log" || { echo "the demo did not start; see $LOGS/demo.log" >&2; exit 1; }
KEY="$(node -e "console.log(require('$REPO/demo/config.json').publishable_key)")"

cat >"$SF/.env.local" <<ENV
NEXT_PUBLIC_MEDUSA_BACKEND_URL=http://localhost:$DEMO_MEDUSA_PORT
NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY=$KEY
NEXT_PUBLIC_BASE_URL=http://localhost:$STARTER_PORT
NEXT_PUBLIC_DEFAULT_REGION=dk
ENV
if [ "${SKIP_BUILD:-}" != "1" ] || [ ! -d "$SF/.next" ]; then
  say "building the storefront (next build; log: $LOGS/next-build.log)"
  (cd "$SF" && NEXT_TELEMETRY_DISABLED=1 npx next build >"$LOGS/next-build.log" 2>&1) || { tail -40 "$LOGS/next-build.log" >&2; exit 1; }
fi
start_storefront() { # $1: COINGATE_FLOW for the storefront's server (empty: redirect first)
  say "starting the storefront on $DEMO_STOREFRONT_URL${1:+ with COINGATE_FLOW=$1} (log: $LOGS/next-start.log)"
  (cd "$SF" && COINGATE_FLOW="$1" NEXT_TELEMETRY_DISABLED=1 exec setsid npx next start -H localhost -p "$STARTER_PORT" >>"$LOGS/next-start.log" 2>&1) &
  STOREFRONT_PID=$!
  PIDS+=("$STOREFRONT_PID")
  for _ in $(seq 1 60); do curl -fsS -o /dev/null "$DEMO_STOREFRONT_URL/dk" 2>/dev/null && break; sleep 1; done
}
drive() { # $1: COINGATE_FLOW; further arguments: which runs (default all of that flow)
  local flow="$1"
  shift
  STOREFRONT_URL="$DEMO_STOREFRONT_URL" BACKEND_URL="http://localhost:$DEMO_MEDUSA_PORT" \
    SIMULATOR_URL="http://127.0.0.1:${DEMO_SIMULATOR_PORT:-4010}" PUBLISHABLE_KEY="$KEY" COINGATE_FLOW="$flow" \
    SCREENSHOTS_DIR="${SCREENSHOTS_DIR:-$REPO/docs/screenshots}" node "$REPO/scripts/try-starter/drive.js" "$@"
}

FAILED=0
start_storefront ""
say "driving the storefront in headless Chromium: redirect first"
drive "" || FAILED=1
kill -TERM -- "-$STOREFRONT_PID" 2>/dev/null || true
wait "$STOREFRONT_PID" 2>/dev/null || true
start_storefront order_first
say "driving the storefront in headless Chromium: order first"
drive order_first || FAILED=1
if [ "$FAILED" = 0 ]; then say "all runs passed (redirect first and order first)"; else say "some runs failed (above)"; fi
exit "$FAILED"

#!/usr/bin/env bash
# The widget on the embedded demo studio, deployed the way a photographer deploys it:
#   the mock studio in studio mode (it asks for the owner's login) on 127.0.0.1:8787
#   ← the studio gateway, holding that login, on 127.0.0.1:8788, with its waitlist on
#     (its database in target/demo-waitlist.db, its e-mails to the mail catcher below)
#   ← `trunk serve` of the demo page on http://127.0.0.1:8080 (its /api/v1 goes to the gateway).
# The mail catcher takes the waitlist's e-mails (SMTP on 127.0.0.1:2525); the demo page shows
# them under "The demo's mailbox" (also at http://127.0.0.1:8025).
# The login is made up afresh for each run and lives only in these processes' settings.
# Ctrl-C stops them all. PROFILE=dev builds the widget unoptimised, for quick rebuilds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
scripts/setup.sh

cargo build --release -p mock-studio -p studio-gateway
secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
COOKIE="pxs_session=$(secret)"
CSRF="$(secret)"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT INT TERM
target/release/mock-studio --addr 127.0.0.1:8787 --demo-contracts --demo-mini-days --studio-cookie "$COOKIE" --csrf-token "$CSRF" &
PIDS+=($!)
target/release/mail-catcher --smtp 127.0.0.1:2525 --http 127.0.0.1:8025 &
PIDS+=($!)
STUDIO_GATEWAY_LISTEN=127.0.0.1:8788 \
STUDIO_GATEWAY_UPSTREAM=http://127.0.0.1:8787/api/v1 \
STUDIO_GATEWAY_COOKIE="$COOKIE" \
STUDIO_GATEWAY_CSRF_TOKEN="$CSRF" \
STUDIO_GATEWAY_ALLOWED_ORIGINS=http://127.0.0.1:8080 \
STUDIO_GATEWAY_SMTP_URL=smtp://127.0.0.1:2525 \
STUDIO_GATEWAY_MAIL_FROM="Juniper & Co. <hello@juniper.example>" \
STUDIO_GATEWAY_BOOKING_PAGE=http://127.0.0.1:8080/ \
STUDIO_GATEWAY_NOTIFY_EMAIL=mara@juniper.example \
STUDIO_GATEWAY_DATABASE_URL=sqlite://target/demo-waitlist.db \
STUDIO_GATEWAY_WAITLIST_POLL_SECS=30 \
  target/release/studio-gateway > target/studio-gateway.log &
PIDS+=($!)
echo "[run] the gateway's log: target/studio-gateway.log; its health: http://127.0.0.1:8788/healthz"

if [ "${PROFILE:-release}" = "dev" ]; then
  trunk serve
else
  scripts/release-build.sh trunk serve --release
fi

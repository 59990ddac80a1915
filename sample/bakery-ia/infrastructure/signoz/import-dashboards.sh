#!/usr/bin/env bash
# Import (create or replace) the Bakery-IA dashboards into SigNoz.
# Needs SIGNOZ_URL (default: port-forwarded frontend) and SIGNOZ_API_KEY.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SIGNOZ_URL="${SIGNOZ_URL:-http://localhost:3301}"
: "${SIGNOZ_API_KEY:?set SIGNOZ_API_KEY (Settings > API Keys in SigNoz)}"

DASHBOARDS=(
  alert-management
  api-performance
  application-performance
  database-performance
  error-tracking
  infrastructure-monitoring
  log-analysis
  system-health
  user-activity
)

api() {
  curl -fsS -H "SIGNOZ-API-KEY: ${SIGNOZ_API_KEY}" -H "Content-Type: application/json" "$@"
}

import_one() {
  local file="$1" title
  title="$(jq -r .title "$file")"
  existing="$(api "$SIGNOZ_URL/api/v1/dashboards" | jq -r --arg t "$title" '.data[] | select(.data.title == $t) | .uuid' | head -n1)"
  if [[ -n "$existing" ]]; then
    api -X PUT "$SIGNOZ_URL/api/v1/dashboards/$existing" --data @"$file" >/dev/null
    echo "updated  $title"
  else
    api -X POST "$SIGNOZ_URL/api/v1/dashboards" --data @"$file" >/dev/null
    echo "created  $title"
  fi
}

# Fail early if the JSON of the most edited dashboard is broken
jq empty "$SCRIPT_DIR/dashboards/api-performance.json"

# The overview first: the others link back to it
import_one "$SCRIPT_DIR/dashboards/index.json"

for name in "${DASHBOARDS[@]}"; do
  import_one "$SCRIPT_DIR/dashboards/${name}.json"
done

echo "Imported $(( ${#DASHBOARDS[@]} + 1 )) dashboards into $SIGNOZ_URL"

#!/usr/bin/env bash
# Send synthetic requests through the gateway so that the SigNoz dashboards have data.
# Run from the repository root:  infrastructure/helm/generate-test-traffic.sh [requests]
set -euo pipefail

REQUESTS="${1:-500}"
# The host the dev ingress answers on
HOST="$(grep -m1 'host:' infrastructure/kubernetes/base/ingress-https.yaml | awk '{print $NF}')"
BASE_URL="https://${HOST}"

TOKEN="$(curl -ksS -X POST "$BASE_URL/api/v1/demo/sessions" -H 'Content-Type: application/json' \
  -d '{"demo_account_type": "individual_bakery"}' | jq -r .access_token)"

paths=(
  /api/v1/tenant/me
  /api/v1/sales/summary?days=30
  /api/v1/forecasting/forecasts?horizon=7
  /api/v1/inventory/stock
  /api/v1/orders?status=pending
  /api/v1/production/plans/today
  /api/v1/insights/latest
  /api/v1/does-not-exist
)

for ((i = 1; i <= REQUESTS; i++)); do
  path="${paths[RANDOM % ${#paths[@]}]}"
  curl -ksS -o /dev/null -w '%{http_code} '"$path"'\n' -H "Authorization: Bearer $TOKEN" "$BASE_URL$path" &
  (( i % 20 == 0 )) && wait
done
wait
echo "Sent $REQUESTS requests to $BASE_URL"

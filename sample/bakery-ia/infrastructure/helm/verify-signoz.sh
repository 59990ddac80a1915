#!/usr/bin/env bash
# Check that SigNoz is up and that the Bakery-IA services send it telemetry.
set -euo pipefail

NAMESPACE=signoz
HERE="$(dirname "$0")"

echo "==> SigNoz pods"
kubectl -n "$NAMESPACE" wait --for=condition=ready pod -l app.kubernetes.io/instance=signoz --timeout=300s

echo "==> Collector endpoint used by the services"
expected="$(grep -m1 'otelCollectorEndpoint:' "$HERE/signoz-k8s-infra-values.yaml" | awk '{print $2}')"
configured="$(kubectl -n bakery-ia get configmap bakery-config -o jsonpath='{.data.OTEL_EXPORTER_OTLP_ENDPOINT}')"
if [[ "$configured" != *"${expected%%:*}"* ]]; then
  echo "bakery-config points at $configured, expected $expected" >&2
  exit 1
fi

echo "==> Dashboards present in the repository"
count=0
for f in "$HERE"/../signoz/dashboards/*.json; do
  jq -e .title "$f" >/dev/null
  count=$((count + 1))
done
echo "$count dashboard files"

echo "==> Services reporting in the last 15 minutes"
kubectl -n "$NAMESPACE" exec deploy/signoz-query-service -- \
  wget -qO- 'http://localhost:8080/api/v1/services/list?start=-15m' | jq -r '.[].serviceName' | sort

#!/usr/bin/env bash
# Install or upgrade SigNoz and the k8s-infra collectors, then import the dashboards.
#   ./infrastructure/helm/deploy-signoz.sh [dev|prod]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$SCRIPT_DIR/../.."
ENVIRONMENT="${1:-dev}"
NAMESPACE=signoz
CHART_VERSION=0.55.1

helm repo add signoz https://charts.signoz.io >/dev/null 2>&1 || true
helm repo update signoz

case "$ENVIRONMENT" in
  dev)
    helm upgrade --install signoz signoz/signoz --version "$CHART_VERSION" \
      --namespace "$NAMESPACE" --create-namespace \
      -f "$SCRIPT_DIR/signoz-values-dev.yaml" --wait --timeout 15m
    ;;
  prod)
    helm upgrade --install signoz signoz/signoz --version "$CHART_VERSION" \
      --namespace "$NAMESPACE" --create-namespace \
      -f "$SCRIPT_DIR/signoz-values-prod.yaml" --wait --timeout 20m
    ;;
  *)
    echo "usage: $0 [dev|prod]" >&2
    exit 2
    ;;
esac

helm upgrade --install k8s-infra signoz/k8s-infra \
  --namespace "$NAMESPACE" \
  -f "$SCRIPT_DIR/signoz-k8s-infra-values.yaml"

"$SCRIPT_DIR/verify-signoz.sh"

if [[ -n "${SIGNOZ_API_KEY:-}" ]]; then
  "$REPO_ROOT/infrastructure/signoz/import-dashboards.sh"
else
  echo "SIGNOZ_API_KEY not set: import the dashboards later with infrastructure/signoz/import-dashboards.sh"
fi

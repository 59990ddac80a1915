#!/usr/bin/env bash
# Delete and re-run the database migration Jobs (Jobs are immutable, so a new
# image tag means delete + apply). Usage: regenerate_migrations_k8s.sh [service ...]
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MIGRATIONS_DIR="$SCRIPT_DIR/base/migrations"
NAMESPACE="${NAMESPACE:-bakery-ia}"

ALL_SERVICES=(auth tenant training forecasting sales external notification inventory recipes
              suppliers pos orders production procurement orchestrator alert-processor ai-insights
              demo-session frontend)

if [[ $# -gt 0 ]]; then
  SERVICES=("$@")
else
  SERVICES=("${ALL_SERVICES[@]}")
fi

# The migrations must stay listed in their kustomization, or Flux will prune them.
for svc in "${SERVICES[@]}"; do
  if ! grep -q "${svc}-migration-job.yaml" "$MIGRATIONS_DIR/kustomization.yaml"; then
    echo "error: ${svc}-migration-job.yaml is not listed in $MIGRATIONS_DIR/kustomization.yaml" >&2
    exit 1
  fi
done

for svc in "${SERVICES[@]}"; do
  job_file="$MIGRATIONS_DIR/${svc}-migration-job.yaml"
  echo "==> ${svc}: re-running ${job_file#"$SCRIPT_DIR"/}"
  kubectl -n "$NAMESPACE" delete job "${svc}-migration" --ignore-not-found
  kubectl -n "$NAMESPACE" apply -f "$job_file"
done

# The rendered overlay decides the image tags; re-apply it so the Jobs pick them up.
kubectl kustomize "$SCRIPT_DIR/overlays/dev" \
  | kubectl -n "$NAMESPACE" apply -l app.kubernetes.io/component=migration -f -

kubectl -n "$NAMESPACE" wait --for=condition=complete job \
  -l app.kubernetes.io/component=migration --timeout=900s

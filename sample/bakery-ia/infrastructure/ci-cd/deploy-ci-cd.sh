#!/usr/bin/env bash
# Install the CI/CD stack: Gitea (Helm), Tekton resources, Flux source and Kustomizations.
# Tekton Pipelines/Triggers and Flux controllers must already be installed.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

echo "==> Gitea"
helm repo add gitea-charts https://dl.gitea.com/charts/ >/dev/null 2>&1 || true
helm upgrade --install gitea gitea-charts/gitea --namespace gitea --create-namespace \
  -f "$SCRIPT_DIR/gitea/values.yaml" --wait
kubectl apply -f "$SCRIPT_DIR/gitea/ingress.yaml"

echo "==> Tekton tasks, pipeline and triggers"
kubectl kustomize "$SCRIPT_DIR/tekton" > /dev/null
kubectl apply -k "$SCRIPT_DIR/tekton"

echo "==> Flux"
kubectl apply -f "$SCRIPT_DIR/flux/git-repository.yaml"
kubectl apply -f "$SCRIPT_DIR/flux/kustomization.yaml"
flux reconcile source git bakery-ia -n flux-system
flux get kustomizations -n flux-system

cat <<MSG
Next:
  - add the Gitea webhook http://tekton.bakery-ia.local/hooks (push events)
  - start a first run: kubectl create -f $SCRIPT_DIR/tekton/pipelines/ci-pipeline-run.yaml
MSG

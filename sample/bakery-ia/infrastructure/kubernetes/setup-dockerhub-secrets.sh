#!/usr/bin/env bash
# Create the dockerhub-creds image pull secret that every Deployment references
# (Docker Hub rate-limits anonymous pulls). Needs DOCKERHUB_USERNAME and DOCKERHUB_TOKEN.
set -euo pipefail

NAMESPACE="${NAMESPACE:-bakery-ia}"
: "${DOCKERHUB_USERNAME:?set DOCKERHUB_USERNAME}"
: "${DOCKERHUB_TOKEN:?set DOCKERHUB_TOKEN}"

# The namespace must exist before the secret
kubectl apply -f "$(dirname "$0")/base/namespace.yaml"

for ns in "$NAMESPACE" tekton-pipelines; do
  kubectl -n "$ns" create secret docker-registry dockerhub-creds \
    --docker-server=https://index.docker.io/v1/ \
    --docker-username="$DOCKERHUB_USERNAME" \
    --docker-password="$DOCKERHUB_TOKEN" \
    --dry-run=client -o yaml | kubectl apply -f -
done

# Kaniko (Tekton) pushes with the same credentials
kubectl -n tekton-pipelines patch serviceaccount tekton-builder \
  -p '{"imagePullSecrets":[{"name":"dockerhub-creds"}],"secrets":[{"name":"dockerhub-creds"}]}'

echo "dockerhub-creds created in ${NAMESPACE} and tekton-pipelines"

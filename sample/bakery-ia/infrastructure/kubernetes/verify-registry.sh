#!/usr/bin/env bash
# Check that every image tag that the production overlay deploys exists on Docker Hub.
# Run from the repository root.
set -euo pipefail

OVERLAY="infrastructure/kubernetes/overlays/prod"

if [[ ! -f "infrastructure/kubernetes/overlays/prod/kustomization.yaml" ]]; then
  echo "run this from the repository root" >&2
  exit 2
fi

missing=0
while read -r image; do
  repo="${image%:*}"
  tag="${image##*:}"
  if curl -fsS "https://hub.docker.com/v2/repositories/${repo}/tags/${tag}" >/dev/null; then
    echo "ok       ${image}"
  else
    echo "MISSING  ${image}"
    missing=$((missing + 1))
  fi
done < <(kubectl kustomize "$OVERLAY" | awk '/image: bakery-ia\// {print $2}' | sort -u)

if [[ $missing -gt 0 ]]; then
  echo "${missing} image(s) missing; did the Tekton pipeline finish?" >&2
  exit 1
fi

#!/usr/bin/env bash
# Tear down and recreate the local development environment from scratch.
# Run from the repository root:  ./infrastructure/kubernetes/kubernetes_restart.sh
set -euo pipefail

NAMESPACE=bakery-ia

echo "==> Deleting namespace ${NAMESPACE} (this removes every PVC too)"
kubectl delete namespace "${NAMESPACE}" --ignore-not-found --wait=true

echo "==> Recreating namespace"
kubectl apply -f infrastructure/kubernetes/base/namespace.yaml

echo "==> Regenerating TLS certificates for PostgreSQL, Redis and MinIO"
cd infrastructure/tls && ./generate-certificates.sh && cd ../..

echo "==> Creating the TLS secrets"
kubectl apply -f infrastructure/tls/postgres/postgres-tls-secret.yaml
kubectl apply -f infrastructure/tls/redis/redis-tls-secret.yaml
kubectl apply -f infrastructure/tls/minio/minio-tls-secret.yaml
kubectl -n cert-manager create secret tls bakery-ca-key-pair \
  --cert=infrastructure/tls/ca/ca-cert.pem \
  --key=infrastructure/tls/ca/ca-key.pem \
  --dry-run=client -o yaml | kubectl apply -f -

echo "==> Docker Hub pull secret"
./infrastructure/kubernetes/setup-dockerhub-secrets.sh

echo "==> Applying the dev overlay"
kubectl apply -k infrastructure/kubernetes/overlays/dev

echo "==> Waiting for the databases"
kubectl -n "${NAMESPACE}" wait --for=condition=available deployment \
  -l app.kubernetes.io/component=database --timeout=300s

echo "==> Waiting for the migrations"
kubectl -n "${NAMESPACE}" wait --for=condition=complete job \
  -l app.kubernetes.io/component=migration --timeout=600s

kubectl -n "${NAMESPACE}" get pods
echo "Done: https://bakery-ia.local"

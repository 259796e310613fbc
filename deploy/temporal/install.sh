#!/usr/bin/env bash
# Installs or upgrades the Temporal cluster of one environment and prepares the platform's namespace.
#
#   TEMPORAL_CHART_VERSION=<reviewed chart version> deploy/temporal/install.sh dev <key-vault-name>
#
# 1. namespace "temporal", its NetworkPolicies, and the Secret temporal-db from Key Vault (temporal-db-password)
# 2. helm upgrade --install with values.yaml + values-<env>.yaml (schema jobs run as part of it)
# 3. the search attributes the platform uses, on namespace durable-diffusion (idempotent)
set -euo pipefail

env=${1:?environment: dev or prod}
vault=${2:?Key Vault name (Bicep output keyVaultName)}
chart_version=${TEMPORAL_CHART_VERSION:?pin the temporal chart version these values were reviewed against}
here=$(cd "$(dirname "$0")" && pwd)

kubectl create namespace temporal --dry-run=client -o yaml | kubectl apply -f -
kubectl label namespace temporal pod-security.kubernetes.io/enforce=baseline --overwrite
kubectl apply -f "$here/network-policy.yaml"

password=$(az keyvault secret show --vault-name "$vault" -n temporal-db-password --query value -o tsv)
kubectl -n temporal create secret generic temporal-db --from-literal=password="$password" \
  --dry-run=client -o yaml | kubectl apply -f -
unset password

helm repo add temporal https://go.temporal.io/helm-charts >/dev/null 2>&1 || true
helm repo update temporal
helm upgrade --install temporal temporal/temporal --version "$chart_version" \
  --namespace temporal \
  -f "$here/values.yaml" -f "$here/values-$env.yaml" \
  ${TEMPORAL_SERVER_TAG:+--set server.image.tag=$TEMPORAL_SERVER_TAG} \
  --timeout 20m --wait

"$here/search-attributes.sh" kubectl -n temporal exec deploy/temporal-admintools --

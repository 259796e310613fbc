#!/usr/bin/env bash
# Writes an overlay's environment files from the Bicep deployment outputs:
#   deploy/aks/k8s/overlays/<env>/infra.env     identities, Key Vault, subnets, host name, WAF policy
#   deploy/aks/k8s/overlays/<env>/platform.env  the pods' storage endpoint
#   deploy/aks/k8s/overlays/<env>/kustomization.yaml  image names (the registry)
# None of these values is secret; commit the result.
#
#   deploy/aks/scripts/overlay-values.sh dev rg-dd-dev [deployment-name]
set -euo pipefail

env=${1:?environment: dev or prod}
rg=${2:?resource group}
deployment=${3:-main}
root=$(cd "$(dirname "$0")/../../.." && pwd)
overlay="$root/deploy/aks/k8s/overlays/$env"

outputs=$(az deployment group show -g "$rg" -n "$deployment" --query properties.outputs -o json)
out() { jq -r --arg k "$1" '.[$k].value' <<<"$outputs"; }

cat > "$overlay/infra.env" <<VALUES
# Written by deploy/aks/scripts/overlay-values.sh $env from the Bicep deployment outputs; not secret.
AZURE_TENANT_ID=$(out tenantId)
KEY_VAULT_NAME=$(out keyVaultName)
API_CLIENT_ID=$(out apiClientId)
CPU_WORKER_CLIENT_ID=$(out cpuWorkerClientId)
GPU_WORKER_CLIENT_ID=$(out gpuWorkerClientId)
KEDA_CLIENT_ID=$(out kedaClientId)
APPGW_SUBNET_CIDR=$(out appGatewaySubnetPrefix)
API_HOST=$(out apiHost)
API_WAF_POLICY_ID=$(out apiWafPolicyId)
PROMETHEUS_QUERY_ENDPOINT=$(out prometheusQueryEndpoint)
STORAGE_BLOB_HOST=$(out storageBlobHost)
VALUES

cat > "$overlay/platform.env" <<VALUES
# Pod environment for this environment, merged into dd-platform (written with infra.env).
DD_STORAGE_AZURE_ENDPOINT=https://$(out storageBlobHost)
VALUES

registry=$(out acrLoginServer)
(cd "$overlay" && for image in api cpu-worker gpu-worker; do
  kustomize edit set image "durable-diffusion/$image=$registry/durable-diffusion/$image:GIT_SHA"
done)
echo "wrote $overlay/{infra.env,platform.env} and the image names; review and commit"

#!/usr/bin/env bash
# The custom search attributes of namespace durable-diffusion, so operators can list generations by
# tenant, model and job class in the Web UI and `temporal workflow list --query`:
#   DdTenant (Keyword)    the tenant that submitted the generation
#   DdModel (Keyword)     the model (bundle name) it runs
#   DdPriority (Keyword)  interactive or batch
# Idempotent: an attribute that exists is left alone.
#
# In-cluster Temporal (install.sh):  search-attributes.sh kubectl -n temporal exec deploy/temporal-admintools --
# Temporal Cloud:                    TEMPORAL_ADDRESS=... TEMPORAL_NAMESPACE=... TEMPORAL_API_KEY=... search-attributes.sh
set -euo pipefail

namespace=${TEMPORAL_NAMESPACE:-durable-diffusion}
cli=("$@")
connection=()
if [[ ${#cli[@]} -eq 0 ]]; then
  connection=(--address "${TEMPORAL_ADDRESS:?}" --tls --api-key "${TEMPORAL_API_KEY:?}")
fi

for attribute in DdTenant DdModel DdPriority; do
  if "${cli[@]}" temporal operator search-attribute list --namespace "$namespace" "${connection[@]}" \
      | grep -qw "$attribute"; then
    echo "$attribute exists"
  else
    "${cli[@]}" temporal operator search-attribute create --namespace "$namespace" "${connection[@]}" \
      --name "$attribute" --type Keyword
  fi
done

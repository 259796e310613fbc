// prod: zone-redundant everything that can be, WAF in prevention mode, FQDN egress filtering,
// a spot GPU pool for batch work, zone-redundant HA PostgreSQL with geo-redundant backups.
//   PG_ADMIN_PASSWORD=$(az keyvault secret show --vault-name <prod vault> -n temporal-db-password --query value -o tsv) \
//   az deployment group what-if -g rg-dd-prod -f deploy/aks/infra/main.bicep -p deploy/aks/infra/env/prod.bicepparam
using '../main.bicep'

param environmentName = 'prod'
param adminGroupObjectIds = ['00000000-0000-0000-0000-000000000000']
param apiHost = 'api.durablediffusion.example'
param githubRepository = 'durable-diffusion/durable-diffusion'
param promotionSourceRegistryId = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dd-dev/providers/Microsoft.ContainerRegistry/registries/acrdddev000000'
param operatorIpRanges = []

param addressSpace = '10.20.0.0/16'
param systemPool = { vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5 }
param cpuPool = { vmSize: 'Standard_D8ds_v5', minCount: 3, maxCount: 20 }
param gpuPool = { vmSize: 'Standard_NC24ads_A100_v4', minCount: 2, maxCount: 12, zones: ['1', '2', '3'] }
param gpuSpotPool = { enabled: true, vmSize: 'Standard_NC24ads_A100_v4', maxCount: 4 }
param enableFqdnFiltering = true

param acrSku = 'Premium'
param wafMode = 'Prevention'
param appGatewayCapacity = { min: 2, max: 10 }

param postgres = {
  skuName: 'Standard_D4ds_v5'
  tier: 'GeneralPurpose'
  storageSizeGB: 256
  highAvailability: 'ZoneRedundant'
  backupRetentionDays: 35
  geoRedundantBackup: 'Enabled'
}
param postgresAdminPassword = readEnvironmentVariable('PG_ADMIN_PASSWORD')

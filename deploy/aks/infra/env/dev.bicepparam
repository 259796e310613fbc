// dev: small pools, WAF in detection mode (log, don't block), burstable PostgreSQL without HA.
//   PG_ADMIN_PASSWORD=$(openssl rand -base64 32) az deployment group what-if -g rg-dd-dev \
//     -f deploy/aks/infra/main.bicep -p deploy/aks/infra/env/dev.bicepparam
using '../main.bicep'

param environmentName = 'dev'
param adminGroupObjectIds = ['00000000-0000-0000-0000-000000000000']
param apiHost = 'api.dev.durablediffusion.example'
param githubRepository = 'durable-diffusion/durable-diffusion'
param operatorIpRanges = []

param addressSpace = '10.10.0.0/16'
param systemPool = { vmSize: 'Standard_D2ds_v5', minCount: 1, maxCount: 3 }
param cpuPool = { vmSize: 'Standard_D4ds_v5', minCount: 1, maxCount: 4 }
param gpuPool = { vmSize: 'Standard_NC24ads_A100_v4', minCount: 1, maxCount: 3, zones: ['1', '2', '3'] }
param gpuSpotPool = { enabled: false, vmSize: 'Standard_NC24ads_A100_v4', maxCount: 2 }
param enableFqdnFiltering = false

param acrSku = 'Standard'
param wafMode = 'Detection'
param appGatewayCapacity = { min: 0, max: 2 }

param postgres = {
  skuName: 'Standard_B2ms'
  tier: 'Burstable'
  storageSizeGB: 32
  highAvailability: 'Disabled'
  backupRetentionDays: 7
  geoRedundantBackup: 'Disabled'
}
param postgresAdminPassword = readEnvironmentVariable('PG_ADMIN_PASSWORD')

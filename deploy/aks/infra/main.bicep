// Durable Diffusion on Azure: one resource group per environment (dev, prod).
//
//   az deployment group what-if -g rg-dd-dev -f deploy/aks/infra/main.bicep -p deploy/aks/infra/env/dev.bicepparam
//   az deployment group create  -g rg-dd-dev -n main -f deploy/aks/infra/main.bicep -p deploy/aks/infra/env/dev.bicepparam
//
// The outputs are what the Kubernetes layer needs (deploy/aks/scripts/overlay-values.sh writes them
// into deploy/aks/k8s/overlays/<env>). See docs/deploy.md.

targetScope = 'resourceGroup'

@allowed(['dev', 'prod'])
param environmentName string
param location string = resourceGroup().location
@description('Short prefix of every resource name.')
@maxLength(6)
param namePrefix string = 'dd'
param tags object = {}

@description('Entra ID groups that administer the cluster and Grafana.')
param adminGroupObjectIds array
@description('Public host name of the API (a DNS CNAME to the gateway\'s FQDN; certificate in Key Vault as dd-ingress-tls).')
param apiHost string
@description('owner/name of the GitHub repository whose Actions deploy this environment.')
param githubRepository string
@description('Registry this environment promotes images from (prod: the dev registry\'s resource id); empty for none.')
param promotionSourceRegistryId string = ''
@description('Operator addresses (CIDR) allowed through the storage and Key Vault firewalls.')
param operatorIpRanges array = []

param addressSpace string
param kubernetesVersion string = '1.33'
@description('The AKS KEDA add-on; the temporal scaler needs KEDA >= 2.17 (see docs/deploy.md).')
param enableKedaAddon bool = true
@description('Cilium FQDN filtering (Advanced Container Networking Services); components/fqdn-egress needs it.')
param enableFqdnFiltering bool = false
param systemPool object = { vmSize: 'Standard_D4ds_v5', minCount: 3, maxCount: 5 }
param cpuPool object = { vmSize: 'Standard_D8ds_v5', minCount: 2, maxCount: 10 }
@description('GPU pool: one NVIDIA GPU per VM matches one gpu-worker pod per node (NC A100 v4, NCads H100 v5).')
param gpuPool object = { vmSize: 'Standard_NC24ads_A100_v4', minCount: 1, maxCount: 4, zones: ['1', '2', '3'] }
param gpuSpotPool object = { enabled: false, vmSize: 'Standard_NC24ads_A100_v4', maxCount: 4 }

param acrSku string = 'Standard'
@allowed(['Detection', 'Prevention'])
param wafMode string = 'Prevention'
param appGatewayCapacity object = { min: 1, max: 4 }

param postgres object = {
  skuName: 'Standard_D4ds_v5'
  tier: 'GeneralPurpose'
  storageSizeGB: 128
  highAvailability: 'ZoneRedundant'
  backupRetentionDays: 14
  geoRedundantBackup: 'Enabled'
}
param postgresAdminLogin string = 'temporal_admin'
@secure()
param postgresAdminPassword string

var prefix = '${namePrefix}-${environmentName}'
var unique = take(uniqueString(resourceGroup().id), 6)
var allTags = union(tags, { application: 'durable-diffusion', environment: environmentName })

module network 'modules/network.bicep' = {
  name: 'network'
  params: { location: location, name: 'vnet-${prefix}', addressSpace: addressSpace, tags: allTags }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { location: location, namePrefix: prefix, tags: allTags, adminGroupObjectIds: adminGroupObjectIds }
}

module registry 'modules/registry.bicep' = {
  name: 'registry'
  params: { location: location, name: 'acr${namePrefix}${environmentName}${unique}', sku: acrSku, tags: allTags }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: 'st${namePrefix}${environmentName}${unique}'
    tags: allTags
    allowedSubnetIds: [network.outputs.nodesSubnetId, network.outputs.podsSubnetId]
    operatorIpRanges: operatorIpRanges
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: 'kv-${prefix}-${unique}'
    tags: allTags
    allowedSubnetIds: [network.outputs.nodesSubnetId, network.outputs.podsSubnetId]
    operatorIpRanges: operatorIpRanges
  }
}

module appGateway 'modules/appgateway.bicep' = {
  name: 'appgateway'
  params: {
    location: location
    namePrefix: prefix
    subnetId: network.outputs.appGatewaySubnetId
    tags: allTags
    wafMode: wafMode
    minCapacity: appGatewayCapacity.min
    maxCapacity: appGatewayCapacity.max
  }
}

module aks 'modules/aks.bicep' = {
  name: 'aks'
  params: {
    location: location
    name: 'aks-${prefix}'
    tags: allTags
    kubernetesVersion: kubernetesVersion
    nodesSubnetId: network.outputs.nodesSubnetId
    podsSubnetId: network.outputs.podsSubnetId
    adminGroupObjectIds: adminGroupObjectIds
    logAnalyticsId: monitoring.outputs.logAnalyticsId
    collectionRuleId: monitoring.outputs.collectionRuleId
    appGatewayId: appGateway.outputs.id
    enableKedaAddon: enableKedaAddon
    enableFqdnFiltering: enableFqdnFiltering
    systemPool: systemPool
    cpuPool: cpuPool
    gpuPool: gpuPool
    gpuSpotPool: gpuSpotPool
  }
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    location: location
    namePrefix: prefix
    tags: allTags
    oidcIssuerUrl: aks.outputs.oidcIssuerUrl
    namespace: 'durable-diffusion'
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    prometheusId: monitoring.outputs.prometheusId
    registryId: registry.outputs.id
    kubeletObjectId: aks.outputs.kubeletObjectId
    agicObjectId: aks.outputs.agicObjectId
    appGatewayId: appGateway.outputs.id
    appGatewaySubnetId: network.outputs.appGatewaySubnetId
  }
}

module postgresServer 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    name: 'psql-${prefix}-${unique}'
    tags: allTags
    vnetId: network.outputs.vnetId
    subnetId: network.outputs.postgresSubnetId
    keyVaultName: keyVault.outputs.name
    administratorLogin: postgresAdminLogin
    administratorPassword: postgresAdminPassword
    skuName: postgres.skuName
    tier: postgres.tier
    storageSizeGB: postgres.storageSizeGB
    highAvailability: postgres.highAvailability
    backupRetentionDays: postgres.backupRetentionDays
    geoRedundantBackup: postgres.geoRedundantBackup
  }
}

module github 'modules/github-oidc.bicep' = {
  name: 'github-oidc'
  params: {
    location: location
    namePrefix: prefix
    tags: allTags
    githubRepository: githubRepository
    environmentName: environmentName
    registryId: registry.outputs.id
    promotionSourceRegistryId: promotionSourceRegistryId
    clusterId: aks.outputs.id
  }
}

// --- What the Kubernetes layer, the Temporal install and CI need --------------------------------
output tenantId string = tenant().tenantId
output aksName string = aks.outputs.name
output oidcIssuerUrl string = aks.outputs.oidcIssuerUrl
output acrName string = registry.outputs.name
output acrLoginServer string = registry.outputs.loginServer
output keyVaultName string = keyVault.outputs.name
output storageAccountName string = storage.outputs.name
output storageBlobHost string = storage.outputs.blobHost
output apiClientId string = identities.outputs.apiClientId
output cpuWorkerClientId string = identities.outputs.cpuWorkerClientId
output gpuWorkerClientId string = identities.outputs.gpuWorkerClientId
output kedaClientId string = identities.outputs.kedaClientId
output temporalClientId string = identities.outputs.temporalClientId
output githubClientId string = github.outputs.clientId
output appGatewaySubnetPrefix string = network.outputs.appGatewaySubnetPrefix
output appGatewayPublicIp string = appGateway.outputs.publicIpAddress
output appGatewayFqdn string = appGateway.outputs.publicFqdn
output apiWafPolicyId string = appGateway.outputs.apiWafPolicyId
output apiHost string = apiHost
output postgresFqdn string = postgresServer.outputs.fqdn
output postgresAdminLogin string = postgresServer.outputs.administratorLogin
output prometheusQueryEndpoint string = monitoring.outputs.prometheusQueryEndpoint
output grafanaEndpoint string = monitoring.outputs.grafanaEndpoint
output appInsightsConnectionString string = monitoring.outputs.appInsightsConnectionString

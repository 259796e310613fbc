// Workload identities: one user-assigned identity per Kubernetes service account, federated with the
// cluster's OIDC issuer, holding only the data roles that component needs.
//   api         reads models, work (previews) and outputs; reads its Key Vault secrets
//   cpu-worker  writes work and outputs, reads models; reads webhook signing secrets
//   gpu-worker  writes work and outputs, reads models
//   keda        (kube-system/keda-operator) reads managed Prometheus for the API's request-rate scaler
//   temporal    (temporal/temporal) reads the database password for the Temporal install
// Plus the cluster's own identities: kubelet pulls from ACR; AGIC manages the gateway.

param location string
param namePrefix string
param tags object
param oidcIssuerUrl string
param namespace string
param storageAccountName string
param keyVaultName string
param prometheusId string
param registryId string
param kubeletObjectId string
param agicObjectId string
param appGatewayId string
param appGatewaySubnetId string

var roles = {
  blobReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  blobContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringDataReader: 'b0d8363b-8ddd-447d-831f-62ca05bff136'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
  networkContributor: '4d97b98b-1d4f-4787-a291-c67834d212e7'
}

var workloads = [
  { name: 'api', subject: 'system:serviceaccount:${namespace}:api' }
  { name: 'cpu-worker', subject: 'system:serviceaccount:${namespace}:cpu-worker' }
  { name: 'gpu-worker', subject: 'system:serviceaccount:${namespace}:gpu-worker' }
  { name: 'keda', subject: 'system:serviceaccount:kube-system:keda-operator' }
  { name: 'temporal', subject: 'system:serviceaccount:temporal:temporal' }
]

resource identities 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = [for w in workloads: {
  name: 'id-${namePrefix}-${w.name}'
  location: location
  tags: tags
}]

resource federations 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = [for (w, i) in workloads: {
  parent: identities[i]
  name: 'aks'
  properties: {
    issuer: oidcIssuerUrl
    subject: w.subject
    audiences: ['api://AzureADTokenExchange']
  }
}]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}
resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: account
  name: 'default'
}
resource models 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobs
  name: 'models'
}
resource work 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobs
  name: 'work'
}
resource outputs 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = {
  parent: blobs
  name: 'outputs'
}
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

// Index into `workloads`: 0 api, 1 cpu-worker, 2 gpu-worker, 3 keda, 4 temporal.
var modelsReaders = [0, 1, 2]
var workReaders = [0]
var outputsReaders = [0]
var writers = [1, 2]
var vaultReaders = [0, 1, 2, 4]

resource readModels 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in modelsReaders: {
  name: guid(models.id, workloads[i].name, roles.blobReader)
  scope: models
  properties: {
    principalId: identities[i].properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobReader)
  }
}]

resource readWork 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in workReaders: {
  name: guid(work.id, workloads[i].name, roles.blobReader)
  scope: work
  properties: {
    principalId: identities[i].properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobReader)
  }
}]

resource readOutputs 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in outputsReaders: {
  name: guid(outputs.id, workloads[i].name, roles.blobReader)
  scope: outputs
  properties: {
    principalId: identities[i].properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobReader)
  }
}]

resource writeWork 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in writers: {
  name: guid(work.id, workloads[i].name, roles.blobContributor)
  scope: work
  properties: {
    principalId: identities[i].properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobContributor)
  }
}]

resource writeOutputs 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in writers: {
  name: guid(outputs.id, workloads[i].name, roles.blobContributor)
  scope: outputs
  properties: {
    principalId: identities[i].properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.blobContributor)
  }
}]

resource readSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in vaultReaders: {
  name: guid(vault.id, workloads[i].name, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: identities[i].properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}]

resource prometheus 'Microsoft.Monitor/accounts@2023-04-03' existing = {
  name: last(split(prometheusId, '/'))
}

resource kedaReadsPrometheus 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(prometheusId, 'keda', roles.monitoringDataReader)
  scope: prometheus
  properties: {
    principalId: identities[3].properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringDataReader)
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: last(split(registryId, '/'))
}

resource kubeletPulls 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registryId, kubeletObjectId, roles.acrPull)
  scope: registry
  properties: {
    principalId: kubeletObjectId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
  }
}

// AGIC (add-on identity) with a gateway created outside the add-on: it updates the gateway, reads
// the resource group, and joins the gateway's subnet.
resource gateway 'Microsoft.Network/applicationGateways@2024-05-01' existing = {
  name: last(split(appGatewayId, '/'))
}

resource agicManagesGateway 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appGatewayId, agicObjectId, roles.contributor)
  scope: gateway
  properties: {
    principalId: agicObjectId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.contributor)
  }
}

resource agicReadsGroup 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, agicObjectId, roles.reader)
  properties: {
    principalId: agicObjectId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.reader)
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' existing = {
  name: split(appGatewaySubnetId, '/')[8]
}
resource gatewaySubnet 'Microsoft.Network/virtualNetworks/subnets@2024-05-01' existing = {
  parent: vnet
  name: last(split(appGatewaySubnetId, '/'))
}

resource agicJoinsSubnet 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appGatewaySubnetId, agicObjectId, roles.networkContributor)
  scope: gatewaySubnet
  properties: {
    principalId: agicObjectId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.networkContributor)
  }
}

output apiClientId string = identities[0].properties.clientId
output cpuWorkerClientId string = identities[1].properties.clientId
output gpuWorkerClientId string = identities[2].properties.clientId
output kedaClientId string = identities[3].properties.clientId
output temporalClientId string = identities[4].properties.clientId

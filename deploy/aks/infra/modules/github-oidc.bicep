// The identity GitHub Actions signs in as (azure/login with OIDC; no client secret exists). Its
// federated credential matches only this repository's GitHub environment of the same name, so only
// jobs running in that environment (prod: after the required reviewers approved) get a token.
// Rights: push to this registry (and, for prod, pull from the registry it promotes from), fetch the
// cluster's user credentials, and apply the manifests. Those include cluster-scoped objects
// (PriorityClasses, the gpu-resources namespace and its DaemonSets), hence AKS RBAC Cluster Admin on
// this cluster and nothing outside it.

param location string
param namePrefix string
param tags object
@description('owner/name of the GitHub repository')
param githubRepository string
param environmentName string
param registryId string
param promotionSourceRegistryId string
param clusterId string

var roles = {
  acrPush: '8311e382-0749-4cb8-b61a-304f252e45ec'
  acrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d'
  aksClusterUser: '4abbcc35-e782-43d8-92c5-2d3f1bd2253f'
  aksRbacClusterAdmin: 'b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${namePrefix}-github'
  location: location
  tags: tags
}

resource federation 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'github-${environmentName}'
  properties: {
    issuer: 'https://token.actions.githubusercontent.com'
    subject: 'repo:${githubRepository}:environment:${environmentName}'
    audiences: ['api://AzureADTokenExchange']
  }
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: last(split(registryId, '/'))
}

resource pushes 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registryId, identity.id, roles.acrPush)
  scope: registry
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPush)
  }
}

var promotes = !empty(promotionSourceRegistryId)
var sourceParts = split(promotes ? promotionSourceRegistryId : '/subscriptions/${subscription().subscriptionId}/resourceGroups/${resourceGroup().name}', '/')

module pullsFromSource 'registry-pull.bicep' = if (promotes) {
  name: 'github-pulls-from-source-registry'
  scope: resourceGroup(sourceParts[2], sourceParts[4])
  params: {
    registryName: last(sourceParts)
    principalId: identity.properties.principalId
  }
}

resource cluster 'Microsoft.ContainerService/managedClusters@2025-05-01' existing = {
  name: last(split(clusterId, '/'))
}

resource clusterUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(clusterId, identity.id, roles.aksClusterUser)
  scope: cluster
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.aksClusterUser)
  }
}

// The manifests include cluster-scoped objects (PriorityClasses, the gpu-resources namespace and its
// DaemonSets), so the deployer needs cluster-wide write through AKS RBAC.
resource clusterDeployer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(clusterId, identity.id, roles.aksRbacClusterAdmin)
  scope: cluster
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.aksRbacClusterAdmin)
  }
}

output clientId string = identity.properties.clientId

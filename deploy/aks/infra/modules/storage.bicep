// The platform's object storage: the models, work and outputs areas (docs/architecture.md).
// Entra ID only (no shared keys), reachable from the AKS subnets (service endpoints) and the
// operators' addresses. work/ holds intermediates (latents, previews) that no one needs after a day.

param location string
param name string
param tags object
param allowedSubnetIds array
param operatorIpRanges array

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_ZRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      virtualNetworkRules: [for id in allowedSubnetIds: { id: id, action: 'Allow' }]
      ipRules: [for range in operatorIpRanges: { value: range, action: 'Allow' }]
    }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 7 }
    containerDeleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for area in ['models', 'work', 'outputs']: {
  parent: blobs
  name: area
  properties: { publicAccess: 'None' }
}]

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-work-after-one-day'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: { blobTypes: ['blockBlob'], prefixMatch: ['work/'] }
            actions: { baseBlob: { delete: { daysAfterCreationGreaterThan: 1 } } }
          }
        }
      ]
    }
  }
}

output id string = account.id
output name string = account.name
output blobHost string = replace(replace(account.properties.primaryEndpoints.blob, 'https://', ''), '/', '')

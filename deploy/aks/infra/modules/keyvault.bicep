// Key Vault for the platform's secrets (API keys, webhook signing secrets, the public TLS
// certificate, Temporal's database password, a Temporal Cloud API key). RBAC only; the pods read
// through the Secrets Store CSI driver with their workload identities (identities.bicep).

param location string
param name string
param tags object
param allowedSubnetIds array
param operatorIpRanges array

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Deny'
      bypass: 'AzureServices'
      virtualNetworkRules: [for id in allowedSubnetIds: { id: id }]
      ipRules: [for range in operatorIpRanges: { value: range }]
    }
  }
}

output id string = vault.id
output name string = vault.name

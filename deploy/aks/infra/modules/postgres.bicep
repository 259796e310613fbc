// PostgreSQL Flexible Server for the Temporal cluster (deploy/temporal): private (VNet-integrated),
// TLS required, btree_gin allow-listed (Temporal's SQL visibility schema creates that extension),
// the two databases the Helm chart's schema jobs fill. The admin password is also written to Key
// Vault (temporal-db-password), where the Temporal install reads it.

param location string
param name string
param tags object
param vnetId string
param subnetId string
param keyVaultName string
param administratorLogin string
@secure()
param administratorPassword string
param skuName string
@allowed(['Burstable', 'GeneralPurpose', 'MemoryOptimized'])
param tier string
param storageSizeGB int
@allowed(['Disabled', 'ZoneRedundant', 'SameZone'])
param highAvailability string
param backupRetentionDays int
@allowed(['Disabled', 'Enabled'])
param geoRedundantBackup string

resource dnsZone 'Microsoft.Network/privateDnsZones@2020-06-01' = {
  name: '${name}.private.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource dnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = {
  parent: dnsZone
  name: 'vnet'
  location: 'global'
  properties: {
    registrationEnabled: false
    virtualNetwork: { id: vnetId }
  }
}

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: skuName, tier: tier }
  properties: {
    version: '16'
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: { activeDirectoryAuth: 'Disabled', passwordAuth: 'Enabled' }
    storage: { storageSizeGB: storageSizeGB, autoGrow: 'Enabled' }
    backup: { backupRetentionDays: backupRetentionDays, geoRedundantBackup: geoRedundantBackup }
    highAvailability: { mode: highAvailability }
    network: {
      delegatedSubnetResourceId: subnetId
      privateDnsZoneArmResourceId: dnsZone.id
      publicNetworkAccess: 'Disabled'
    }
  }
  dependsOn: [dnsLink]
}

resource extensions 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'azure.extensions'
  properties: { value: 'BTREE_GIN', source: 'user-override' }
}

resource secureTransport 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: { value: 'ON', source: 'user-override' }
  dependsOn: [extensions]
}

resource databases 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = [for db in ['temporal', 'temporal_visibility']: {
  parent: server
  name: db
  properties: { charset: 'UTF8', collation: 'en_US.utf8' }
  dependsOn: [secureTransport]
}]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource passwordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'temporal-db-password'
  properties: { value: administratorPassword, contentType: 'PostgreSQL password for ${administratorLogin}' }
}

output fqdn string = server.properties.fullyQualifiedDomainName
output administratorLogin string = administratorLogin

// One VNet per environment. Subnets are carved from the address space, so the Kubernetes layer can
// rely on them (the Application Gateway subnet is allowed into the API pods by NetworkPolicy).
//   nodes     /22  AKS node NICs
//   pods      /17  pod IPs (Azure CNI, dynamic allocation; Cilium dataplane)
//   appgw     /24  Application Gateway WAF_v2 (index 64: x.x.64.0/24)
//   postgres  /24  delegated to PostgreSQL Flexible Server (index 65)

param location string
param name string
param addressSpace string
param tags object

var nodesPrefix = cidrSubnet(addressSpace, 22, 0)
var podsPrefix = cidrSubnet(addressSpace, 17, 1)
var appGatewayPrefix = cidrSubnet(addressSpace, 24, 64)
var postgresPrefix = cidrSubnet(addressSpace, 24, 65)

var serviceEndpoints = [
  { service: 'Microsoft.Storage' }
  { service: 'Microsoft.KeyVault' }
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressSpace] }
    subnets: [
      {
        name: 'snet-aks-nodes'
        properties: { addressPrefix: nodesPrefix, serviceEndpoints: serviceEndpoints }
      }
      {
        name: 'snet-aks-pods'
        properties: { addressPrefix: podsPrefix, serviceEndpoints: serviceEndpoints }
      }
      {
        name: 'snet-appgw'
        properties: { addressPrefix: appGatewayPrefix }
      }
      {
        name: 'snet-postgres'
        properties: {
          addressPrefix: postgresPrefix
          delegations: [
            {
              name: 'postgres'
              properties: { serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers' }
            }
          ]
        }
      }
    ]
  }
}

output vnetId string = vnet.id
output nodesSubnetId string = vnet.properties.subnets[0].id
output podsSubnetId string = vnet.properties.subnets[1].id
output appGatewaySubnetId string = vnet.properties.subnets[2].id
output postgresSubnetId string = vnet.properties.subnets[3].id
output appGatewaySubnetPrefix string = appGatewayPrefix

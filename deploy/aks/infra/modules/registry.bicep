// Container registry for the three images. Tags are commit SHAs and are locked after the push
// (CI: az acr repository update --write-enabled false), so a tag always means one image.

param location string
param name string
param sku string
param tags object

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: sku }
  properties: {
    adminUserEnabled: false
    anonymousPullEnabled: false
    publicNetworkAccess: 'Enabled'
  }
}

output id string = registry.id
output name string = registry.name
output loginServer string = registry.properties.loginServer

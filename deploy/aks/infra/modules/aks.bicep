// The AKS cluster: Entra ID-only access, OIDC issuer + workload identity, Azure CNI powered by Cilium
// (NetworkPolicy enforcement; optional FQDN filtering), Key Vault CSI driver, AGIC, KEDA, managed
// Prometheus and Container Insights. Three pools:
//   system  CriticalAddonsOnly, cluster services
//   cpu     the API and the workflow/CPU workers (label durablediffusion.dev/pool=cpu)
//   gpu     NC/ND GPU VMs, taint sku=gpu:NoSchedule, label durablediffusion.dev/pool=gpu; kubelet's
//           emptyDir on the VM's temporary disk (model cache); autoscaled
//   gpuspot optional spot GPU pool for batch work (same taint and label, plus AKS's spot taint)

param location string
param name string
param tags object
param kubernetesVersion string
param nodesSubnetId string
param podsSubnetId string
param adminGroupObjectIds array
param logAnalyticsId string
param collectionRuleId string
param appGatewayId string
param enableKedaAddon bool
param enableFqdnFiltering bool
param systemPool object
param cpuPool object
param gpuPool object
param gpuSpotPool object

var zones = ['1', '2', '3']
var commonPool = {
  vnetSubnetID: nodesSubnetId
  podSubnetID: podsSubnetId
  osType: 'Linux'
  osSKU: 'AzureLinux'
  type: 'VirtualMachineScaleSets'
  enableAutoScaling: true
  maxPods: 50
}
var gpuNodePool = union(commonPool, {
  name: 'gpu'
  mode: 'User'
  vmSize: gpuPool.vmSize
  minCount: gpuPool.minCount
  maxCount: gpuPool.maxCount
  count: gpuPool.minCount
  // GPU SKUs are rarely in all three zones of a region; the parameter file names the ones that have them.
  availabilityZones: gpuPool.zones
  osDiskType: 'Ephemeral'
  kubeletDiskType: 'Temporary'
  nodeLabels: { 'durablediffusion.dev/pool': 'gpu' }
  nodeTaints: ['sku=gpu:NoSchedule']
  // A drained GPU node waits for its pods' grace period (denoise drain) before the upgrade proceeds.
  upgradeSettings: { maxSurge: '1', drainTimeoutInMinutes: 30 }
})

resource cluster 'Microsoft.ContainerService/managedClusters@2025-05-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Base', tier: 'Standard' }
  identity: { type: 'SystemAssigned' }
  properties: {
    kubernetesVersion: kubernetesVersion
    dnsPrefix: name
    disableLocalAccounts: true
    enableRBAC: true
    aadProfile: {
      managed: true
      enableAzureRBAC: true
      adminGroupObjectIDs: adminGroupObjectIds
    }
    oidcIssuerProfile: { enabled: true }
    securityProfile: {
      workloadIdentity: { enabled: true }
      imageCleaner: { enabled: true, intervalHours: 48 }
    }
    autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' }
    networkProfile: {
      networkPlugin: 'azure'
      networkDataplane: 'cilium'
      networkPolicy: 'cilium'
      loadBalancerSku: 'standard'
      serviceCidr: '172.16.0.0/16'
      dnsServiceIP: '172.16.0.10'
      advancedNetworking: enableFqdnFiltering ? {
        enabled: true
        observability: { enabled: true }
        security: { enabled: true, advancedNetworkPolicies: 'FQDN' }
      } : null
    }
    workloadAutoScalerProfile: {
      keda: { enabled: enableKedaAddon }
    }
    azureMonitorProfile: {
      metrics: {
        enabled: true
        kubeStateMetrics: { metricLabelsAllowlist: '', metricAnnotationsAllowList: '' }
      }
    }
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
        enabled: true
        config: { enableSecretRotation: 'true', rotationPollInterval: '2m' }
      }
      ingressApplicationGateway: {
        enabled: true
        config: { applicationGatewayId: appGatewayId }
      }
      omsagent: {
        enabled: true
        config: { logAnalyticsWorkspaceResourceID: logAnalyticsId }
      }
    }
    agentPoolProfiles: concat([
      union(commonPool, {
        name: 'system'
        mode: 'System'
        vmSize: systemPool.vmSize
        minCount: systemPool.minCount
        maxCount: systemPool.maxCount
        count: systemPool.minCount
        availabilityZones: zones
        osDiskType: 'Ephemeral'
        nodeTaints: ['CriticalAddonsOnly=true:NoSchedule']
      })
      union(commonPool, {
        name: 'cpu'
        mode: 'User'
        vmSize: cpuPool.vmSize
        minCount: cpuPool.minCount
        maxCount: cpuPool.maxCount
        count: cpuPool.minCount
        availabilityZones: zones
        osDiskType: 'Ephemeral'
        nodeLabels: { 'durablediffusion.dev/pool': 'cpu' }
      })
      gpuNodePool
    ], gpuSpotPool.enabled ? [
      union(commonPool, {
        name: 'gpuspot'
        mode: 'User'
        vmSize: gpuSpotPool.vmSize
        minCount: 0
        maxCount: gpuSpotPool.maxCount
        count: 0
        availabilityZones: gpuPool.zones
        osDiskType: 'Ephemeral'
        kubeletDiskType: 'Temporary'
        scaleSetPriority: 'Spot'
        scaleSetEvictionPolicy: 'Delete'
        spotMaxPrice: -1
        nodeLabels: { 'durablediffusion.dev/pool': 'gpu' }
        // The spot taint is AKS's own (it adds it to every spot pool); only batch GPU pods tolerate it.
        nodeTaints: ['sku=gpu:NoSchedule', 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule']
      })
    ] : [])
  }
}

// Managed Prometheus: send this cluster's metrics (incl. PodMonitor/ServiceMonitor targets) through
// the data collection rule of monitoring.bicep.
resource prometheusRule 'Microsoft.Insights/dataCollectionRuleAssociations@2022-06-01' = {
  name: 'MSProm-${name}'
  scope: cluster
  properties: { dataCollectionRuleId: collectionRuleId }
}

output id string = cluster.id
output name string = cluster.name
output oidcIssuerUrl string = cluster.properties.oidcIssuerProfile.issuerURL
output kubeletObjectId string = cluster.properties.identityProfile.kubeletidentity.objectId
output agicObjectId string = cluster.properties.addonProfiles.ingressApplicationGateway.identity.objectId

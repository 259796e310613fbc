// Logs (Log Analytics + Application Insights), metrics (Azure Monitor workspace = managed
// Prometheus, with the data collection rule the cluster's metrics add-on sends through) and
// dashboards (Managed Grafana wired to the Prometheus workspace).

param location string
param namePrefix string
param tags object
@description('Entra ID groups that administer Grafana.')
param adminGroupObjectIds array

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${namePrefix}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${namePrefix}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource prometheus 'Microsoft.Monitor/accounts@2023-04-03' = {
  name: 'amw-${namePrefix}'
  location: location
  tags: tags
}

resource collectionEndpoint 'Microsoft.Insights/dataCollectionEndpoints@2022-06-01' = {
  name: 'MSProm-${location}-${namePrefix}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {}
}

resource collectionRule 'Microsoft.Insights/dataCollectionRules@2022-06-01' = {
  name: 'MSProm-${location}-${namePrefix}'
  location: location
  tags: tags
  kind: 'Linux'
  properties: {
    dataCollectionEndpointId: collectionEndpoint.id
    dataSources: {
      prometheusForwarder: [
        {
          name: 'PrometheusDataSource'
          streams: ['Microsoft-PrometheusMetrics']
          labelIncludeFilter: {}
        }
      ]
    }
    destinations: {
      monitoringAccounts: [
        { accountResourceId: prometheus.id, name: 'MonitoringAccount' }
      ]
    }
    dataFlows: [
      { streams: ['Microsoft-PrometheusMetrics'], destinations: ['MonitoringAccount'] }
    ]
  }
}

resource grafana 'Microsoft.Dashboard/grafana@2023-09-01' = {
  name: 'amg-${namePrefix}'
  location: location
  tags: tags
  sku: { name: 'Standard' }
  identity: { type: 'SystemAssigned' }
  properties: {
    grafanaIntegrations: {
      azureMonitorWorkspaceIntegrations: [
        { azureMonitorWorkspaceResourceId: prometheus.id }
      ]
    }
  }
}

var monitoringDataReader = 'b0d8363b-8ddd-447d-831f-62ca05bff136'
var monitoringReader = '43d0d8ad-25c7-4714-9337-8ba259a9fe05'
var grafanaAdmin = '22926164-76b3-42b3-bc55-97df8dab3e41'

resource grafanaReadsPrometheus 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(prometheus.id, grafana.id, monitoringDataReader)
  scope: prometheus
  properties: {
    principalId: grafana.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringDataReader)
  }
}

resource grafanaReadsAzureMonitor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, grafana.id, monitoringReader)
  properties: {
    principalId: grafana.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringReader)
  }
}

resource grafanaAdmins 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for group in adminGroupObjectIds: {
  name: guid(grafana.id, group, grafanaAdmin)
  scope: grafana
  properties: {
    principalId: group
    principalType: 'Group'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', grafanaAdmin)
  }
}]

output logAnalyticsId string = logs.id
output appInsightsConnectionString string = appInsights.properties.ConnectionString
output prometheusId string = prometheus.id
output prometheusQueryEndpoint string = prometheus.properties.metrics.prometheusQueryEndpoint
output collectionRuleId string = collectionRule.id
output grafanaEndpoint string = grafana.properties.endpoint

// Application Gateway WAF_v2, programmed by AGIC (the AKS ingress-appgw add-on): AGIC owns listeners,
// backend pools, probes and rules; this template only creates the gateway with a placeholder
// configuration that AGIC replaces. Two WAF policies: the gateway's baseline, and the API's
// (attached per path by the Ingress annotation appgw.ingress.kubernetes.io/waf-policy-for-path) with
// a per-client rate limit on /v1.

param location string
param namePrefix string
param subnetId string
param tags object
@allowed(['Detection', 'Prevention'])
param wafMode string
param minCapacity int
param maxCapacity int
@description('Requests per client IP per minute on /v1 before the WAF blocks.')
param apiRateLimitPerMinute int = 600

var managedRules = {
  managedRuleSets: [
    { ruleSetType: 'Microsoft_DefaultRuleSet', ruleSetVersion: '2.1' }
    { ruleSetType: 'Microsoft_BotManagerRuleSet', ruleSetVersion: '1.0' }
  ]
}
var policySettings = {
  state: 'Enabled'
  mode: wafMode
  requestBodyCheck: true
  maxRequestBodySizeInKb: 128
  fileUploadLimitInMb: 1
}

resource gatewayPolicy 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies@2024-05-01' = {
  name: 'waf-${namePrefix}'
  location: location
  tags: tags
  properties: {
    policySettings: policySettings
    managedRules: managedRules
  }
}

resource apiPolicy 'Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies@2024-05-01' = {
  name: 'waf-${namePrefix}-api'
  location: location
  tags: tags
  properties: {
    policySettings: policySettings
    managedRules: managedRules
    customRules: [
      {
        name: 'ApiRateLimitPerClient'
        priority: 10
        ruleType: 'RateLimitRule'
        rateLimitDuration: 'OneMin'
        rateLimitThreshold: apiRateLimitPerMinute
        groupByUserSession: [
          { groupByVariables: [ { variableName: 'ClientAddr' } ] }
        ]
        matchConditions: [
          {
            matchVariables: [ { variableName: 'RequestUri' } ]
            operator: 'BeginsWith'
            matchValues: ['/v1/']
            transforms: ['Lowercase']
          }
        ]
        action: 'Block'
      }
    ]
  }
}

resource publicIp 'Microsoft.Network/publicIPAddresses@2024-05-01' = {
  name: 'pip-agw-${namePrefix}'
  location: location
  tags: tags
  sku: { name: 'Standard' }
  zones: ['1', '2', '3']
  properties: {
    publicIPAllocationMethod: 'Static'
    dnsSettings: { domainNameLabel: 'agw-${namePrefix}-${uniqueString(resourceGroup().id)}' }
  }
}

var gatewayName = 'agw-${namePrefix}'
var gatewayId = resourceId('Microsoft.Network/applicationGateways', gatewayName)

resource gateway 'Microsoft.Network/applicationGateways@2024-05-01' = {
  name: gatewayName
  location: location
  tags: tags
  zones: ['1', '2', '3']
  properties: {
    sku: { name: 'WAF_v2', tier: 'WAF_v2' }
    autoscaleConfiguration: { minCapacity: minCapacity, maxCapacity: maxCapacity }
    firewallPolicy: { id: gatewayPolicy.id }
    sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101' }
    gatewayIPConfigurations: [
      { name: 'gateway', properties: { subnet: { id: subnetId } } }
    ]
    frontendIPConfigurations: [
      { name: 'public', properties: { publicIPAddress: { id: publicIp.id } } }
    ]
    frontendPorts: [
      { name: 'http', properties: { port: 80 } }
    ]
    // Placeholder until AGIC writes the real configuration from the Ingress.
    backendAddressPools: [
      { name: 'placeholder', properties: {} }
    ]
    backendHttpSettingsCollection: [
      { name: 'placeholder', properties: { port: 80, protocol: 'Http', requestTimeout: 30 } }
    ]
    httpListeners: [
      {
        name: 'placeholder'
        properties: {
          frontendIPConfiguration: { id: '${gatewayId}/frontendIPConfigurations/public' }
          frontendPort: { id: '${gatewayId}/frontendPorts/http' }
          protocol: 'Http'
        }
      }
    ]
    requestRoutingRules: [
      {
        name: 'placeholder'
        properties: {
          ruleType: 'Basic'
          priority: 19500
          httpListener: { id: '${gatewayId}/httpListeners/placeholder' }
          backendAddressPool: { id: '${gatewayId}/backendAddressPools/placeholder' }
          backendHttpSettings: { id: '${gatewayId}/backendHttpSettingsCollection/placeholder' }
        }
      }
    ]
  }
}

output id string = gateway.id
output apiWafPolicyId string = apiPolicy.id
output publicIpAddress string = publicIp.properties.ipAddress
output publicFqdn string = publicIp.properties.dnsSettings.fqdn

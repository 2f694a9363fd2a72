// ScatterPlot on Azure Functions Flex Consumption (Linux, Python 3.11).
//
// Creates: a user-assigned managed identity; a storage account (host storage and the deployment
// container, reached with that identity: shared keys are disabled); Log Analytics and
// Application Insights (Entra ID ingestion only); the Flex Consumption plan and the function
// app with the app settings ScatterPlot reads.
//
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json

targetScope = 'resourceGroup'

@description('Function app name; becomes <name>.azurewebsites.net, so it must be globally unique.')
@minLength(2)
@maxLength(60)
param appName string = 'scatterplot-${uniqueString(resourceGroup().id)}'

@description('Region of every resource; must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
param location string = resourceGroup().location

@description('Memory of each instance; CPU is allotted in proportion.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('HTTP requests one instance works on at once. One worker process draws one chart at a time and gave the same charts/s at 1 to 8 requests at once (benchmarks/scaling.py, docs/deploy.md), each extra request only waiting; the worker process count cannot be set on Flex Consumption, so 1 (the Python default) scales by instances instead of queueing.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 1

@description('Origins a browser may call the app from (CORS), e.g. https://dashboard.example.com; empty allows none. Avoid * while the chart function needs a key: a page would have to carry it.')
param corsAllowedOrigins array = []

@description('Days Log Analytics keeps the logs.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

// ScatterPlot's limits (the SCATTERPLOT_* app settings; see docs/settings.md).
@description('SCATTERPLOT_MAX_POINTS: most points in one chart.')
@minValue(1)
param maxPoints int = 1000000

@description('SCATTERPLOT_MAX_SIDE: largest width or height in pixels.')
@minValue(16)
param maxSide int = 4096

@description('SCATTERPLOT_MAX_PIXELS: largest width x height.')
@minValue(256)
param maxPixels int = 16777216

@description('SCATTERPLOT_MAX_DPI: highest dpi.')
@minValue(10)
param maxDpi int = 600

@description('SCATTERPLOT_MAX_BODY_BYTES: largest request body in bytes.')
@minValue(1024)
param maxBodyBytes int = 33554432

@description('SCATTERPLOT_MAX_TEXT_LENGTH: longest title or label.')
@minValue(1)
param maxTextLength int = 200

@description('SCATTERPLOT_MAX_INK: most marker pixels in one chart.')
@minValue(1)
param maxInk int = 100000000

@description('SCATTERPLOT_MAX_VECTOR_POINTS: most points in an SVG or PDF chart, or with a colour or size column or error bars.')
@minValue(1)
param maxVectorPoints int = 50000

@description('SCATTERPLOT_MAX_SERIES: most series (groups or y columns) in one chart.')
@minValue(1)
param maxSeries int = 20

@description('SCATTERPLOT_MAX_CATEGORIES: most categories on a category axis.')
@minValue(1)
param maxCategories int = 100

@description('SCATTERPLOT_MAX_LABELS: most points labelled from label_column in one chart.')
@minValue(1)
param maxLabels int = 500

@description('SCATTERPLOT_MAX_COLUMNS: most columns in a table a client sends.')
@minValue(1)
param maxColumns int = 1000

@description('SCATTERPLOT_FAST_PATH: draw with the fast path; false takes matplotlib\'s plain path for every chart (the way out if a matplotlib upgrade breaks one of the fast path\'s internals).')
param fastPath bool = true

@description('Tags on every resource.')
param tags object = {
  app: 'scatterplot'
}

var token = uniqueString(resourceGroup().id, appName)
var storageName = 'stscatter${take(token, 13)}'
var deploymentContainer = 'app-package'

// Built-in role definitions.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${appName}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  // checkov:skip=CKV_AZURE_35: the app has no virtual network (Flex Consumption without VNet integration), so it reaches storage over the public endpoint; every request needs an Entra ID token (shared keys are off).
  // checkov:skip=CKV_AZURE_59: same reason as CKV_AZURE_35: public network access stays on for the app's instances; anonymous and shared-key access are off.
  // checkov:skip=CKV_AZURE_206: holds only the host's leases and the deployment zip, both recreated by a redeploy, so locally redundant storage is enough.
  // checkov:skip=CKV_AZURE_43: the name is computed ('stscatter' and 13 characters of uniqueString: 22 lowercase letters and digits), which checkov cannot evaluate.
  name: storageName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
          keyType: 'Account'
        }
        file: {
          enabled: true
          keyType: 'Account'
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: 7
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: 7
    }
  }
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
  properties: {
    publicAccess: 'None'
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${appName}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${appName}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  // checkov:skip=CKV_AZURE_225: zone redundancy on Flex Consumption needs at least two always-ready instances (billed while idle); enable it with zoneRedundant and alwaysReady when the region and budget allow.
  name: 'plan-${appName}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  // checkov:skip=CKV_AZURE_78: Flex Consumption has no FTP/FTPS endpoint and deprecates ftpsState; FTP and SCM basic-auth publishing are disabled below.
  // checkov:skip=CKV_AZURE_222: the function is a public HTTP API (HTTPS only, function keys), so public network access stays on.
  // checkov:skip=CKV_AZURE_17: incoming client certificates would reject the HTTPS callers that authenticate with a function key.
  // checkov:skip=CKV_AZURE_212: Flex Consumption has no fixed instance count; the platform adds instances per request load up to maximumInstanceCount.
  // checkov:skip=CKV_AZURE_213: the platform routes only to started instances and Application Insights records failures; no health-check path to probe.
  name: appName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'python'
        version: '3.11'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
      cors: {
        allowedOrigins: corsAllowedOrigins
      }
      // Flex Consumption takes the runtime from functionAppConfig: no FUNCTIONS_WORKER_RUNTIME,
      // and FUNCTIONS_WORKER_PROCESS_COUNT is not a valid setting there.
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identity.properties.clientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: insights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'Authorization=AAD;ClientId=${identity.properties.clientId}'
        }
        {
          // The package is mounted read-only; matplotlib needs a writable config and font cache.
          name: 'MPLCONFIGDIR'
          value: '/tmp/scatterplot-matplotlib'
        }
        {
          // More threads than requests taken at once would only queue behind matplotlib's render lock.
          name: 'PYTHON_THREADPOOL_THREAD_COUNT'
          value: string(httpPerInstanceConcurrency)
        }
        {
          name: 'SCATTERPLOT_MAX_POINTS'
          value: string(maxPoints)
        }
        {
          name: 'SCATTERPLOT_MAX_SIDE'
          value: string(maxSide)
        }
        {
          name: 'SCATTERPLOT_MAX_PIXELS'
          value: string(maxPixels)
        }
        {
          name: 'SCATTERPLOT_MAX_DPI'
          value: string(maxDpi)
        }
        {
          name: 'SCATTERPLOT_MAX_BODY_BYTES'
          value: string(maxBodyBytes)
        }
        {
          name: 'SCATTERPLOT_MAX_TEXT_LENGTH'
          value: string(maxTextLength)
        }
        {
          name: 'SCATTERPLOT_MAX_INK'
          value: string(maxInk)
        }
        {
          name: 'SCATTERPLOT_MAX_VECTOR_POINTS'
          value: string(maxVectorPoints)
        }
        {
          name: 'SCATTERPLOT_MAX_SERIES'
          value: string(maxSeries)
        }
        {
          name: 'SCATTERPLOT_MAX_CATEGORIES'
          value: string(maxCategories)
        }
        {
          name: 'SCATTERPLOT_MAX_LABELS'
          value: string(maxLabels)
        }
        {
          name: 'SCATTERPLOT_MAX_COLUMNS'
          value: string(maxColumns)
        }
        {
          name: 'SCATTERPLOT_FAST_PATH'
          value: fastPath ? 'true' : 'false'
        }
      ]
    }
  }
  dependsOn: [
    packageContainer
    // The identity can read the package and the host storage before the first start.
    storageRoles
  ]
}

// No FTP and no SCM basic-auth publishing: deployments authenticate with Entra ID (OIDC).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]: {
    name: guid(storage.id, identity.id, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource metricsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output functionAppName string = app.name
output defaultHostName string = app.properties.defaultHostName
output storageAccountName string = storage.name
output applicationInsightsName string = insights.name

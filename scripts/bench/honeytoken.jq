# The honeytoken reads: GetSecretValue calls naming the secret Production_Database_Credentials
# by name or by ARN (the ARN's 6-character random suffix dropped). Input: `zcat` of trail files.
.Records[]
| select(.eventSource == "secretsmanager.amazonaws.com" and .eventName == "GetSecretValue")
| select((.requestParameters.secretId? // "")
         | sub("^.*:secret:"; "") | sub("-[A-Za-z0-9]{6}$"; "")
         | . == "Production_Database_Credentials")
| [.eventTime, .eventID, (.userIdentity.arn // .userIdentity.principalId), .sourceIPAddress]
| @tsv

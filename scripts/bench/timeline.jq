# One timeline row per record (unsorted: jq streams, it cannot sort without slurping).
.Records[]
| [.eventTime, .eventID, .eventSource, .eventName,
   (.userIdentity.arn // .userIdentity.principalId // .userIdentity.invokedBy),
   .sourceIPAddress, .awsRegion, (.errorCode // "success")]
| @tsv

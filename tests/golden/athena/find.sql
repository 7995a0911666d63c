SELECT "$path" AS object, eventid, eventtime, eventsource, eventname, errorcode, useridentity.arn AS arn, useridentity.principalid AS principalid, useridentity.accesskeyid AS accesskeyid, json_extract_scalar(responseelements, '$.credentials.accessKeyId') AS issued_key, sourceipaddress,
  CASE WHEN (
    (eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ('GetSecretValue', 'BatchGetSecretValue', 'DescribeSecret') AND (lower(requestparameters) LIKE '%production\_database\_credentials%' ESCAPE '\' OR cardinality(filter(resources, r -> lower(r.arn) LIKE '%production\_database\_credentials%' ESCAPE '\')) > 0)) OR (eventsource = 'kms.amazonaws.com' AND eventname = 'Decrypt' AND lower(requestparameters) LIKE '%production\_database\_credentials%' ESCAPE '\')
    OR (eventsource = 'ssm.amazonaws.com' AND ((eventname IN ('GetParameter', 'GetParameters', 'GetParameterHistory') AND lower(requestparameters) LIKE '%/prod/db/%%' ESCAPE '\') OR eventname = 'GetParametersByPath')) OR (eventsource = 'kms.amazonaws.com' AND eventname = 'Decrypt' AND lower(requestparameters) LIKE '%/prod/db/%%' ESCAPE '\')
  ) THEN 'read' ELSE 'change' END AS found
FROM "cloudtrail"."org_trail"
WHERE accountid IN ('111111111111')
  AND region IN ('us-east-1', 'eu-west-1')
  AND "timestamp" BETWEEN '2026/11/19' AND '2026/11/21'
  AND eventtime >= '2026-11-20T00:00:00Z' AND eventtime < '2026-11-21T00:00:00Z'
  AND (
    (eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ('GetSecretValue', 'BatchGetSecretValue', 'DescribeSecret') AND (lower(requestparameters) LIKE '%production\_database\_credentials%' ESCAPE '\' OR cardinality(filter(resources, r -> lower(r.arn) LIKE '%production\_database\_credentials%' ESCAPE '\')) > 0)) OR (eventsource = 'kms.amazonaws.com' AND eventname = 'Decrypt' AND lower(requestparameters) LIKE '%production\_database\_credentials%' ESCAPE '\')
    OR (eventsource = 'ssm.amazonaws.com' AND ((eventname IN ('GetParameter', 'GetParameters', 'GetParameterHistory') AND lower(requestparameters) LIKE '%/prod/db/%%' ESCAPE '\') OR eventname = 'GetParametersByPath')) OR (eventsource = 'kms.amazonaws.com' AND eventname = 'Decrypt' AND lower(requestparameters) LIKE '%/prod/db/%%' ESCAPE '\')
    OR (eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ('PutSecretValue', 'UpdateSecret', 'DeleteSecret', 'RestoreSecret', 'PutResourcePolicy', 'DeleteResourcePolicy', 'RotateSecret', 'CancelRotateSecret', 'UpdateSecretVersionStage', 'TagResource', 'UntagResource') AND (lower(requestparameters) LIKE '%production\_database\_credentials%' ESCAPE '\' OR cardinality(filter(resources, r -> lower(r.arn) LIKE '%production\_database\_credentials%' ESCAPE '\')) > 0))
    OR (eventsource = 'ssm.amazonaws.com' AND eventname IN ('PutParameter', 'DeleteParameter', 'DeleteParameters', 'LabelParameterVersion') AND lower(requestparameters) LIKE '%/prod/db/%%' ESCAPE '\')
  )
ORDER BY object, eventid
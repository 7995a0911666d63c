SELECT "$path" AS object, eventid, eventtime, eventsource, eventname, errorcode, useridentity.arn AS arn, useridentity.principalid AS principalid, useridentity.accesskeyid AS accesskeyid, json_extract_scalar(responseelements, '$.credentials.accessKeyId') AS issued_key, sourceipaddress
FROM "cloudtrail"."org_trail"
WHERE accountid IN ('111111111111')
  AND region IN ('us-east-1', 'eu-west-1')
  AND "timestamp" BETWEEN '2026/11/19' AND '2026/11/21'
  AND eventtime >= '2026-11-20T00:00:00Z' AND eventtime < '2026-11-21T00:00:00Z'
  AND ((eventsource = 'iam.amazonaws.com' AND eventname NOT LIKE 'Get%' AND eventname NOT LIKE 'List%' AND eventname NOT LIKE 'Generate%' AND eventname NOT LIKE 'Simulate%') OR (eventsource = 'ssm.amazonaws.com' AND eventname = 'StartAutomationExecution'))
  AND (lower(requestparameters) LIKE '%mallory%' ESCAPE '\' OR lower(requestparameters) LIKE '%deploy%' ESCAPE '\' OR lower(requestparameters) LIKE '%akiamallory%' ESCAPE '\' OR lower(requestparameters) LIKE '%asiasession%' ESCAPE '\')
ORDER BY object, eventid
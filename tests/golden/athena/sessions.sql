SELECT "$path" AS object, eventid, eventtime, eventsource, eventname, errorcode, useridentity.arn AS arn, useridentity.principalid AS principalid, useridentity.accesskeyid AS accesskeyid, json_extract_scalar(responseelements, '$.credentials.accessKeyId') AS issued_key, sourceipaddress
FROM "cloudtrail"."org_trail"
WHERE accountid IN ('111111111111')
  AND region IN ('us-east-1', 'eu-west-1')
  AND "timestamp" BETWEEN '2026/11/19' AND '2026/11/21'
  AND eventtime >= '2026-11-20T00:00:00Z' AND eventtime < '2026-11-21T00:00:00Z'
  AND eventsource = 'sts.amazonaws.com' AND eventname IN ('AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity', 'GetSessionToken', 'GetFederationToken')
  AND ((useridentity.arn IN ('arn:aws:iam::111111111111:user/mallory') OR useridentity.principalid IN ('AIDAMALLORY') OR useridentity.accesskeyid IN ('AKIAMALLORY', 'ASIASESSION')) OR json_extract_scalar(responseelements, '$.credentials.accessKeyId') IN ('ASIASESSION'))
ORDER BY object, eventid
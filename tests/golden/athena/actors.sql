SELECT "$path" AS object, count(*) AS events
FROM "cloudtrail"."org_trail"
WHERE accountid IN ('111111111111')
  AND region IN ('us-east-1', 'eu-west-1')
  AND "timestamp" BETWEEN '2026/11/19' AND '2026/11/21'
  AND eventtime >= '2026-11-20T00:00:00Z' AND eventtime < '2026-11-21T00:00:00Z'
  AND ((useridentity.arn IN ('arn:aws:iam::111111111111:user/mallory') OR useridentity.principalid IN ('AIDAMALLORY') OR useridentity.accesskeyid IN ('AKIAMALLORY', 'ASIASESSION')) OR sourceipaddress IN ('203.0.113.45'))
GROUP BY "$path"
ORDER BY object
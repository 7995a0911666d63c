"""Checks tests/moto/athena.py through boto3 against a running trailcase_moto.py server:

    TRAILCASE_MOTO_SEED=/tmp/seed.json python tests/moto/trailcase_moto.py -H 127.0.0.1 -p 5999 &
    python tests/moto/athena_selfcheck.py http://127.0.0.1:5999 /tmp/seed.json

Seeds an organisation trail's bucket (two accounts in the projection's enum and one outside it,
two regions, days inside and outside the query's range, a digest and a non-log object), creates
trailcase's table, runs trailcase's query and a few others, and compares every answer with a plain
Python scan of the seeded records. Exits non-zero on the first mismatch.
"""

import gzip
import json
import sys
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT, SEED = sys.argv[1], sys.argv[2]
BUCKET = "org-trail"
ORG = "o-abc123"
ACCOUNTS = ["111111111111", "222222222222"]
REGIONS = ["us-east-1", "eu-west-1"]
DAYS = ["2026/11/20", "2026/11/22"]

DDL = """CREATE EXTERNAL TABLE IF NOT EXISTS cloudtrail.org_trail (
  eventversion STRING,
  useridentity STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, username: STRING, onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>, sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>, sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>, sourceidentity: STRING, ec2roledelivery: STRING>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  eventcategory STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
)
COMMENT 'CloudTrail organisation trail (trailcase athena ddl)'
PARTITIONED BY (accountid STRING, region STRING, `timestamp` STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION 's3://org-trail/AWSLogs/o-abc123/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.accountid.type'='enum',
  'projection.accountid.values'='111111111111,222222222222',
  'projection.region.type'='enum',
  'projection.region.values'='us-east-1,eu-west-1',
  'projection.timestamp.type'='date',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='2020/01/01,NOW',
  'storage.location.template'='s3://org-trail/AWSLogs/o-abc123/${accountid}/CloudTrail/${region}/${timestamp}'
)"""

QUERY = r"""SELECT "$path" AS object, eventid, eventtime, eventsource, eventname, errorcode,
       useridentity.arn AS arn, useridentity.principalid AS principalid, useridentity.accesskeyid AS accesskeyid,
       json_extract_scalar(responseelements, '$.credentials.accessKeyId') AS issued_key
FROM "cloudtrail"."org_trail"
WHERE accountid IN ('111111111111', '222222222222') AND region IN ('us-east-1', 'eu-west-1')
  AND "timestamp" BETWEEN '2026/11/19' AND '2026/11/21'
  AND eventtime >= '2026-11-20T00:00:00Z' AND eventtime < '2026-11-21T00:00:00Z'
  AND ((eventsource = 'secretsmanager.amazonaws.com' AND eventname IN ('GetSecretValue', 'BatchGetSecretValue')
        AND (requestparameters LIKE '%Production\_Database\_Credentials%' ESCAPE '\'
             OR cardinality(filter(resources, r -> r.arn LIKE '%:secret:Production\_Database\_Credentials%' ESCAPE '\')) > 0))
       OR (eventsource = 'iam.amazonaws.com' AND eventname IN ('PutUserPolicy', 'UpdateAccessKey')))
ORDER BY object, eventid"""


def seed(**kw):
    with open(SEED, "w", encoding="utf-8") as f:
        json.dump(kw, f)


def records(account, region, day, n):
    """A handful of records of every interesting kind for one object."""
    date = day.replace("/", "-")
    base = {
        "eventVersion": "1.09",
        "awsRegion": region,
        "sourceIPAddress": "198.51.100.7",
        "userAgent": "aws-cli/2",
        "recipientAccountId": account,
        "eventType": "AwsApiCall",
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256"},
    }
    ident = {
        "type": "AssumedRole",
        "principalId": f"AROA{account[:4]}:attacker",
        "arn": f"arn:aws:sts::{account}:assumed-role/Admin/attacker",
        "accountId": account,
        "accessKeyId": f"ASIA{account[:6]}{n}",
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "arn": f"arn:aws:iam::{account}:role/Admin"},
            "attributes": {"mfaAuthenticated": "false", "creationDate": f"{date}T01:00:00Z"},
        },
    }
    secret = f"arn:aws:secretsmanager:{region}:{account}:secret:Production_Database_Credentials-AbCdEf"
    out = []

    def add(i, hour, source, name, **extra):
        r = dict(base, eventID=f"{account[:3]}-{region}-{date}-{n}-{i}", eventTime=f"{date}T{hour}:00:00Z",
                 eventSource=source, eventName=name, userIdentity=ident, requestID=f"req-{i}",
                 readOnly=name.startswith("Get"))
        r.update(extra)
        out.append(r)

    add(1, "03", "secretsmanager.amazonaws.com", "GetSecretValue",
        requestParameters={"secretId": "Production_Database_Credentials"}, responseElements=None)
    add(2, "04", "secretsmanager.amazonaws.com", "GetSecretValue",
        requestParameters={"secretId": "ProductionXDatabaseXCredentials"})  # `_` is not a wildcard
    add(3, "05", "secretsmanager.amazonaws.com", "BatchGetSecretValue",
        requestParameters={"filters": []}, resources=[{"ARN": secret, "accountId": account, "type": "AWS::SecretsManager::Secret"}])
    add(4, "06", "iam.amazonaws.com", "PutUserPolicy", errorCode="AccessDenied",
        errorMessage="denied", requestParameters={"userName": "bob", "policyName": "x"})
    add(5, "07", "sts.amazonaws.com", "AssumeRole",
        responseElements={"credentials": {"accessKeyId": f"ASIAISSUED{n}", "expiration": "x"}})
    add(6, "23", "iam.amazonaws.com", "UpdateAccessKey",
        eventTime=f"{date}T23:59:59Z", requestParameters={"status": "Inactive"})
    add(7, "08", "s3.amazonaws.com", "GetObject", additionalEventData={"bytesTransferredOut": 10},
        resources=[{"ARN": "arn:aws:s3:::b/k", "type": "AWS::S3::Object"}])
    return out


def main():
    seed()
    req = urllib.request.Request(f"{ENDPOINT}/_trailcase/athena", method="DELETE")
    urllib.request.urlopen(req).read()
    kw = dict(endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id="testing",
              aws_secret_access_key="testing")
    s3 = boto3.client("s3", **kw)
    athena = boto3.client("athena", config=Config(retries={"total_max_attempts": 1, "mode": "standard"}), **kw)
    s3.create_bucket(Bucket=BUCKET)
    s3.create_bucket(Bucket="athena-results")

    objects = {}  # key -> (size, [records], partition values)
    n = 0
    for account in ACCOUNTS + ["333333333333"]:
        for region in REGIONS:
            for day in DAYS:
                for part in range(2):
                    n += 1
                    recs = records(account, region, day, n)
                    key = (f"AWSLogs/{ORG}/{account}/CloudTrail/{region}/{day}/"
                           f"{account}_CloudTrail_{region}_{day.replace('/', '')}T0{part}00Z_{n}.json.gz")
                    body = gzip.compress(json.dumps({"Records": recs}).encode(), mtime=0)
                    s3.put_object(Bucket=BUCKET, Key=key, Body=body)
                    objects[key] = (len(body), recs, (account, region, day))
    # Not part of the table: a digest, a non-log object, an empty Records.
    s3.put_object(Bucket=BUCKET, Key=f"AWSLogs/{ORG}/111111111111/CloudTrail-Digest/us-east-1/2026/11/20/d.json.gz",
                  Body=gzip.compress(json.dumps({"Records": records("111111111111", "us-east-1", "2026/11/20", 99)}).encode()))
    s3.put_object(Bucket=BUCKET, Key=f"AWSLogs/{ORG}/111111111111/CloudTrail/us-east-1/2026/11/20/notes.txt", Body=b"x")

    # Throttling: the first n StartQueryExecution since the reset answer TooManyRequestsException.
    seed(athena_throttle=2)
    for _ in range(2):
        try:
            athena.start_query_execution(QueryString="CREATE DATABASE IF NOT EXISTS cloudtrail")
            raise AssertionError("not throttled")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "TooManyRequestsException", e.response
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    seed()

    def run(sql, **extra):
        qid = athena.start_query_execution(QueryString=sql, **extra)["QueryExecutionId"]
        for _ in range(50):
            qe = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
            if qe["Status"]["State"] not in ("QUEUED", "RUNNING"):
                return qid, qe
        raise AssertionError(f"{sql} never finished")

    def results(qid, **kw):
        rows, cols = [], None
        for page in athena.get_paginator("get_query_results").paginate(QueryExecutionId=qid, **kw):
            cols = cols or page["ResultSet"]["ResultSetMetadata"]["ColumnInfo"]
            rows.extend([d.get("VarCharValue") for d in r["Data"]] for r in page["ResultSet"]["Rows"])
        assert rows[0] == [c["Name"] for c in cols], (rows[0], cols)
        return cols, rows[1:]

    qid, qe = run("CREATE DATABASE IF NOT EXISTS cloudtrail")
    assert qe["Status"]["State"] == "SUCCEEDED", qe
    qid, qe = run(DDL, ResultConfiguration={"OutputLocation": "s3://athena-results/q/"})
    assert qe["Status"]["State"] == "SUCCEEDED", qe
    assert qe["StatementType"] == "DDL", qe

    # trailcase's query, against a plain scan.
    qid, qe = run(QUERY, ResultConfiguration={"OutputLocation": "s3://athena-results/q/"})
    assert qe["Status"]["State"] == "SUCCEEDED", qe
    assert qe["StatementType"] == "DML" and qe["WorkGroup"] == "primary", qe
    assert qe["EngineVersion"]["EffectiveEngineVersion"] == "Athena engine version 3"
    assert qe["ResultConfiguration"]["OutputLocation"] == f"s3://athena-results/q/{qid}.csv", qe
    cols, rows = results(qid)
    assert [c["Name"] for c in cols] == ["object", "eventid", "eventtime", "eventsource", "eventname",
                                         "errorcode", "arn", "principalid", "accesskeyid", "issued_key"]
    assert all(c["Type"] == "varchar" for c in cols), cols

    def pruned(values):
        account, region, day = values
        return account in ACCOUNTS and region in REGIONS and "2026/11/19" <= day <= "2026/11/21"

    expected, scanned = [], 0
    for key, (size, recs, values) in objects.items():
        if not pruned(values):
            continue
        scanned += size
        for r in recs:
            if not ("2026-11-20T00:00:00Z" <= r["eventTime"] < "2026-11-21T00:00:00Z"):
                continue
            rp = json.dumps(r.get("requestParameters")) if r.get("requestParameters") is not None else ""
            secret = r["eventSource"] == "secretsmanager.amazonaws.com" and r["eventName"] in (
                "GetSecretValue", "BatchGetSecretValue") and (
                "Production_Database_Credentials" in rp
                or any(":secret:Production_Database_Credentials" in x["ARN"] for x in r.get("resources", [])))
            iam = r["eventSource"] == "iam.amazonaws.com" and r["eventName"] in ("PutUserPolicy", "UpdateAccessKey")
            if secret or iam:
                u = r["userIdentity"]
                issued = ((r.get("responseElements") or {}).get("credentials") or {}).get("accessKeyId")
                expected.append([f"s3://{BUCKET}/{key}", r["eventID"], r["eventTime"], r["eventSource"],
                                 r["eventName"], r.get("errorCode"), u["arn"], u["principalId"],
                                 u["accessKeyId"], issued])
    expected.sort(key=lambda row: (row[0], row[1]))
    assert rows == expected, ("rows differ", rows[:3], expected[:3], len(rows), len(expected))
    assert len(rows) == 4 * 2 * 4, len(rows)  # 4 objects x 2 days... see records(): 4 matches each
    stats = qe["Statistics"]
    assert stats["DataScannedInBytes"] == scanned, (stats, scanned)

    # The same through pages of 3 rows (header included in the first page).
    seed(athena_page_size=3)
    pages = list(athena.get_paginator("get_query_results").paginate(QueryExecutionId=qid))
    assert all(len(p["ResultSet"]["Rows"]) <= 3 for p in pages) and len(pages) == (len(expected) + 1 + 2) // 3
    paged = [[d.get("VarCharValue") for d in r["Data"]] for p in pages for r in p["ResultSet"]["Rows"]][1:]
    assert paged == expected
    seed()
    first = athena.get_query_results(QueryExecutionId=qid, MaxResults=5)
    assert len(first["ResultSet"]["Rows"]) == 5 and first["NextToken"]

    # The results file.
    body = s3.get_object(Bucket="athena-results", Key=f"q/{qid}.csv")["Body"].read().decode()
    lines = body.splitlines()
    assert lines[0] == '"object","eventid","eventtime","eventsource","eventname","errorcode","arn",' \
                       '"principalid","accesskeyid","issued_key"', lines[0]
    assert len(lines) == len(expected) + 1

    # json_extract_scalar, counts, GROUP BY, lower(), struct fields, readonly, JSON text columns.
    qid, qe = run("SELECT accountid, \"timestamp\", count(*) AS n, count(DISTINCT \"$path\") AS files, "
                  "lower(min(eventname)) FROM cloudtrail.org_trail GROUP BY accountid, \"timestamp\" "
                  "ORDER BY accountid, \"timestamp\"")
    assert qe["Status"]["State"] == "SUCCEEDED", qe
    cols, rows = results(qid)
    assert [c["Name"] for c in cols] == ["accountid", "timestamp", "n", "files", "_col4"], cols
    assert [c["Type"] for c in cols] == ["varchar", "varchar", "bigint", "bigint", "varchar"], cols
    assert rows == [[a, d, "28", "4", "assumerole"] for a in ACCOUNTS for d in DAYS], rows
    all_keys = [k for k, (_, _, v) in objects.items() if v[0] in ACCOUNTS]
    assert qe["Statistics"]["DataScannedInBytes"] == sum(objects[k][0] for k in all_keys)

    qid, qe = run("SELECT eventid, json_extract_scalar(responseelements, '$.credentials.accessKeyId') AS k, "
                  "json_extract_scalar(responseelements, '$.credentials') AS obj, readonly, requestparameters, "
                  "useridentity.sessioncontext.sessionissuer.arn AS issuer, additionaleventdata, "
                  "tlsdetails.tlsversion AS tls, useridentity.invokedby AS invokedby "
                  "FROM cloudtrail.org_trail WHERE accountid = '111111111111' AND region = 'us-east-1' "
                  "AND \"timestamp\" = '2026/11/20' AND eventname IN ('AssumeRole', 'GetObject', 'PutUserPolicy') "
                  "ORDER BY eventid")
    assert qe["Status"]["State"] == "SUCCEEDED", qe
    _, rows = results(qid)
    want = []
    for key, (size, recs, values) in sorted(objects.items()):
        if values != ("111111111111", "us-east-1", "2026/11/20"):
            continue
        for r in recs:
            if r["eventName"] in ("AssumeRole", "GetObject", "PutUserPolicy"):
                re_ = r.get("responseElements")
                rp, ad = r.get("requestParameters"), r.get("additionalEventData")
                want.append([r["eventID"], (re_ or {}).get("credentials", {}).get("accessKeyId"), None,
                             "true" if r["readOnly"] else "false",
                             json.dumps(rp, separators=(",", ":")) if rp is not None else None,
                             "arn:aws:iam::111111111111:role/Admin",
                             json.dumps(ad, separators=(",", ":")) if ad is not None else None, "TLSv1.3", None])
    want.sort(key=lambda r: r[0])
    assert rows == want, (rows, want)
    two = [k for k, (_, _, v) in objects.items() if v == ("111111111111", "us-east-1", "2026/11/20")]
    assert qe["Statistics"]["DataScannedInBytes"] == sum(objects[k][0] for k in two)

    qid, qe = run("SELECT count(*) FROM org_trail WHERE cardinality(filter(resources, r -> r.type = 'AWS::S3::Object')) > 0 "
                  "AND \"$path\" LIKE '%/eu-west-1/%'", QueryExecutionContext={"Database": "cloudtrail"})
    assert qe["Status"]["State"] == "SUCCEEDED", qe
    assert results(qid)[1] == [[str(2 * 2 * 2)]], results(qid)

    # Failures: a bad column, a missing table, bad syntax; seeded failure and cancellation.
    for sql, prefix in [
        ("SELECT nosuchcolumn FROM cloudtrail.org_trail", "COLUMN_NOT_FOUND"),
        ("SELECT useridentity.nosuchfield FROM cloudtrail.org_trail", "COLUMN_NOT_FOUND"),
        ("SELECT * FROM cloudtrail.missing", "TABLE_NOT_FOUND"),
        ("SELEC eventid FROM cloudtrail.org_trail", "SYNTAX_ERROR"),
    ]:
        qid, qe = run(sql)
        assert qe["Status"]["State"] == "FAILED", qe
        assert qe["Status"]["StateChangeReason"].startswith(prefix), qe["Status"]
        assert qe["Status"]["AthenaError"]["ErrorMessage"] == qe["Status"]["StateChangeReason"]
        try:
            athena.get_query_results(QueryExecutionId=qid)
            raise AssertionError("results of a failed query")
        except ClientError as e:
            assert e.response["Error"]["Code"] == "InvalidRequestException"
    seed(athena_fail={"eventname = 'Boom'": "Query exhausted resources at this scale factor"},
         athena_cancel=["eventname = 'Gone'"])
    qid, qe = run("SELECT 1 FROM cloudtrail.org_trail WHERE eventname = 'Boom'")
    assert qe["Status"]["State"] == "FAILED", qe
    assert qe["Status"]["StateChangeReason"] == "Query exhausted resources at this scale factor"
    assert qe["Status"]["AthenaError"]["ErrorCategory"] == 2 and qe["Status"]["AthenaError"]["ErrorType"] == 1000
    qid, qe = run("SELECT 1 FROM cloudtrail.org_trail WHERE eventname = 'Gone'")
    assert qe["Status"]["State"] == "CANCELLED", qe

    # Ctrl-C: StopQueryExecution while the query runs.
    seed(athena_running_polls=2)
    qid = athena.start_query_execution(QueryString=QUERY)["QueryExecutionId"]
    qe = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
    assert qe["Status"]["State"] == "RUNNING" and "CompletionDateTime" not in qe["Status"], qe
    try:
        athena.get_query_results(QueryExecutionId=qid)
        raise AssertionError("results of a running query")
    except ClientError as e:
        assert e.response["Error"]["Message"] == "Query has not yet finished. Current state: RUNNING"
    athena.stop_query_execution(QueryExecutionId=qid)
    qe = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]
    assert qe["Status"]["State"] == "CANCELLED", qe
    assert qe["Status"]["StateChangeReason"] == "Query cancelled by user", qe
    # Without the stop, the same query succeeds after the RUNNING polls.
    qid2, qe = run(QUERY)
    assert qe["Status"]["State"] == "SUCCEEDED" and qe["Statistics"]["DataScannedInBytes"] == scanned
    seed()

    # Access denial.
    seed(athena_deny=["StartQueryExecution"])
    try:
        athena.start_query_execution(QueryString=QUERY)
        raise AssertionError("not denied")
    except ClientError as e:
        assert e.response["Error"]["Code"] == "AccessDeniedException", e.response
    seed()

    listing = json.load(urllib.request.urlopen(f"{ENDPOINT}/_trailcase/athena"))
    assert qid in listing["stopped"], listing["stopped"]
    mine = [q for q in listing["queries"] if q["id"] == qid][0]
    assert mine["state"] == "CANCELLED" and mine["stopped"], mine
    assert "cloudtrail.org_trail" in listing["tables"]
    print(f"athena selfcheck: OK ({len(listing['queries'])} queries)")


if __name__ == "__main__":
    main()

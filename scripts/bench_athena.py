#!/usr/bin/env python3
"""Organisation-scale benchmark (issue #17): `collect --athena` against `collect --s3`.

Run it with a Python that has moto[server], cbor2, sqlglot, duckdb and boto3 (the venv that
scripts/test.sh prepares), against an already built binary:

    .cache/test-venv/bin/python scripts/bench_athena.py                 # 20 accounts x 4 regions x 30 days
    .cache/test-venv/bin/python scripts/bench_athena.py --bin /tmp/bench-trailcase --month
    .cache/test-venv/bin/python scripts/bench_athena.py --accounts 3 --days 20  # a quick smoke run (~1 min)
    .cache/test-venv/bin/python scripts/bench_athena.py --runs 3    # best of 3 for each collect

What it does:
1. Generates an organisation trail, deterministically (seeded RNG): --accounts accounts x 4 regions
   x --days days from 2026-11-01, one file an hour per account-region
   (AWSLogs/o-abc123/<account>/CloudTrail/<region>/yyyy/mm/dd/<account>_CloudTrail_<region>_
   <yyyymmddThhmmZ>_<rand>.json.gz), each with a few CloudTrail records of varied benign
   activity (roles, IAM users, AWS services; other secrets read, deploy pipelines changing IAM
   roles now and then). No digest files are generated (nothing signs them), so both cases have
   the same digest gaps.
2. Plants one incident on 2026-11-20 in one account: IAM user `mallory` (an AKIA key) does
   reconnaissance (GetCallerIdentity, ListBuckets, DescribeInstances, ListSecrets,
   ListAttachedUserPolicies) across regions, reads the honeytoken secret
   Production_Database_Credentials, the kill-switch role (assumed-role/HoneytokenKillSwitch/
   killswitch, its session issued by AssumeRole from Lambda) calls PutUserPolicy and
   UpdateAccessKey on mallory a minute later, and mallory's next calls are denied: 10 files.
3. Starts the test server (tests/moto/trailcase_moto.py, its Athena runs the SQL with DuckDB over
   the objects in its S3) on a free port with an empty seed, PUTs every object into bucket
   `org-trail` with --threads parallel PUTs (timed), creates the table by running what
   `trailcase athena ddl s3://org-trail/AWSLogs/o-abc123/ --org --table cloudtrail.org_trail`
   prints through boto3's Athena client.
4. Times (wall clock around the process) for the incident day, 2026-11-20T00:00Z..2026-11-21T00:00Z:
   `collect --s3 s3://org-trail/AWSLogs/` and `collect --athena cloudtrail.org_trail`, each into a
   fresh case; counts the trail objects and bytes each fetched (manifest.json), the Athena data
   scanned and queries (athena/*/execution.json), and compares the incidents of
   `trailcase timeline CASE --format json --quiet` on both cases.
5. With --month, also `collect --athena` over the whole generated month (the scan grows with the
   window, the fetch does not).
6. Prints a Markdown table and writes it, with the raw numbers (athena-bench.json) and each
   run's stderr, to bench-data/ (git-ignored).

The emulator's S3 and Athena are local processes: this measures Athena's selectivity and
trailcase's own cost, not AWS's network or Athena's engine.
"""

import argparse
import concurrent.futures
import datetime as dt
import glob
import gzip
import json
import os
import random
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUCKET = "org-trail"
ORG = "o-abc123"
TABLE = "cloudtrail.org_trail"
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]
FIRST_DAY = dt.date(2026, 11, 1)
INCIDENT_DAY = dt.date(2026, 11, 20)
HONEYTOKEN = "Production_Database_Credentials"
ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/nonexistent",
    "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
}

# ---------------------------------------------------------------------------------------------
# The generated organisation


def key_id(rng, prefix):
    return prefix + "".join(rng.choice(string.ascii_uppercase + "234567") for _ in range(16))


def rand_name(rng):
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(16))


def event_id(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


class Account:
    """One member account: its identities and the services its workloads use."""

    APPS = [
        ("orders-api", ["dynamodb", "secretsmanager", "sqs", "kms", "logs"]),
        ("inventory", ["ec2", "s3", "dynamodb", "logs"]),
        ("payments", ["secretsmanager", "kms", "sqs", "lambda", "logs"]),
        ("analytics", ["glue", "s3", "athena", "logs"]),
        ("web-frontend", ["elasticloadbalancing", "ec2", "autoscaling", "logs"]),
        ("reporting", ["s3", "ssm", "lambda", "logs"]),
    ]

    def __init__(self, rng, org_id, index):
        self.id = f"{rng.randrange(10**11, 10**12):012d}"
        self.index = index
        self.apps = rng.sample(self.APPS, k=rng.randint(1, 3))
        self.users = rng.sample(["alice", "bob", "carol", "dave", "erin", "frank"], k=2)
        self.user_keys = {u: key_id(rng, "AKIA") for u in self.users}
        self.user_ids = {u: key_id(rng, "AIDA") for u in self.users}
        self.role_ids = {}
        for name in [a for a, _ in self.apps] + ["ci-deploy", "admin-sso"]:
            self.role_ids[name] = key_id(rng, "AROA")
        self.vpc = f"vpc-0{rng.getrandbits(60):015x}"[:21]
        self.ip = f"10.{rng.randrange(1, 250)}.{rng.randrange(0, 250)}"

    def role_identity(self, role, session, access_key):
        rid = self.role_ids[role]
        return {
            "type": "AssumedRole",
            "principalId": f"{rid}:{session}",
            "arn": f"arn:aws:sts::{self.id}:assumed-role/{role}/{session}",
            "accountId": self.id,
            "accessKeyId": access_key,
            "sessionContext": {
                "sessionIssuer": {
                    "type": "Role",
                    "principalId": rid,
                    "arn": f"arn:aws:iam::{self.id}:role/{role}",
                    "accountId": self.id,
                    "userName": role,
                },
                "attributes": {"creationDate": "", "mfaAuthenticated": "false"},
            },
        }

    def user_identity(self, user):
        return {
            "type": "IAMUser",
            "principalId": self.user_ids[user],
            "arn": f"arn:aws:iam::{self.id}:user/{user}",
            "accountId": self.id,
            "accessKeyId": self.user_keys[user],
            "userName": user,
        }


SDK_AGENTS = [
    "aws-sdk-java/2.25.60 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS Java/17.0.11",
    "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64",
    "Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.219 md/arch#x86_64 lang/python#3.12.4 exec-env/AWS_Lambda_python3.12",
    "aws-sdk-js/3.637.0 ua/2.1 os/linux#5.10.227 lang/js md/nodejs#20.17.0 exec-env/AWS_Lambda_nodejs20.x",
]
CLI_AGENT = "aws-cli/2.15.30 Python/3.11.8 Darwin/23.4.0 exe/x86_64 prompt/off command/{cmd}"
CONSOLE_AGENT = "AWS Internal"


def benign_call(rng, acct, region, service):
    """(eventSource, eventName, readOnly, requestParameters, responseElements, resources)."""
    a = acct.id
    if service == "dynamodb":
        table = rng.choice(["orders", "customers", "inventory-items", "sessions"])
        name = rng.choice(["DescribeTable", "DescribeTable", "DescribeTimeToLive", "ListTables"])
        rp = {"tableName": table} if name != "ListTables" else None
        return ("dynamodb.amazonaws.com", name, True, rp, None, None)
    if service == "secretsmanager":
        sid = rng.choice(["prod/orders/api-key", "prod/payments/stripe-key", "prod/rds/readonly"])
        arn = f"arn:aws:secretsmanager:{region}:{a}:secret:{sid}-{rand_name(rng)[:6]}"
        name = rng.choice(["GetSecretValue", "GetSecretValue", "DescribeSecret"])
        return ("secretsmanager.amazonaws.com", name, True, {"secretId": arn}, None,
                [{"accountId": a, "type": "AWS::SecretsManager::Secret", "ARN": arn}])
    if service == "sqs":
        q = f"https://sqs.{region}.amazonaws.com/{a}/{rng.choice(['orders-events', 'payments-dlq', 'jobs'])}"
        return ("sqs.amazonaws.com", rng.choice(["GetQueueAttributes", "ListQueues"]), True,
                {"queueUrl": q, "attributeNames": ["All"]}, None, None)
    if service == "kms":
        key = f"arn:aws:kms:{region}:{a}:key/{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        name = rng.choice(["Decrypt", "GenerateDataKey", "DescribeKey"])
        rp = {"keyId": key} if name != "Decrypt" else {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}
        return ("kms.amazonaws.com", name, True, rp, None,
                [{"accountId": a, "type": "AWS::KMS::Key", "ARN": key}])
    if service == "logs":
        group = f"/aws/lambda/{rng.choice(['orders', 'reporting', 'nightly-export'])}"
        name = rng.choice(["CreateLogStream", "DescribeLogGroups", "DescribeLogStreams"])
        ro = name != "CreateLogStream"
        rp = {"logGroupName": group}
        if not ro:
            rp["logStreamName"] = f"2026/11/{rng.randrange(1, 30):02d}/[$LATEST]{rand_name(rng)}"
        return ("logs.amazonaws.com", name, ro, rp, None, None)
    if service == "ec2":
        name = rng.choice(["DescribeInstances", "DescribeSecurityGroups", "DescribeVolumes",
                           "DescribeNetworkInterfaces", "CreateTags"])
        ro = name != "CreateTags"
        rp = {"filterSet": {"items": [{"name": "vpc-id", "valueSet": {"items": [{"value": acct.vpc}]}}]}}
        if not ro:
            rp = {"resourcesSet": {"items": [{"resourceId": f"i-0{rng.getrandbits(60):015x}"}]},
                  "tagSet": {"items": [{"key": "owner", "value": "platform"}]}}
        return ("ec2.amazonaws.com", name, ro, rp, None if ro else {"_return": True}, None)
    if service == "s3":
        bucket = f"{rng.choice(['data', 'exports', 'artifacts'])}-{a}-{region}"
        name = rng.choice(["ListBuckets", "GetBucketLocation", "GetBucketPolicy", "GetBucketAcl"])
        rp = {"Host": "s3.amazonaws.com"} if name == "ListBuckets" else {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com"}
        return ("s3.amazonaws.com", name, True, rp, None, None)
    if service == "glue":
        return ("glue.amazonaws.com", rng.choice(["GetTable", "GetPartitions", "GetDatabase"]), True,
                {"databaseName": "analytics", "name": rng.choice(["clicks", "orders", "sessions"])}, None, None)
    if service == "athena":
        return ("athena.amazonaws.com", rng.choice(["GetQueryExecution", "StartQueryExecution", "GetQueryResults"]),
                True, {"queryExecutionId": str(uuid.UUID(int=rng.getrandbits(128), version=4))}, None, None)
    if service == "elasticloadbalancing":
        return ("elasticloadbalancing.amazonaws.com", rng.choice(["DescribeTargetHealth", "DescribeLoadBalancers"]), True,
                {"targetGroupArn": f"arn:aws:elasticloadbalancing:{region}:{a}:targetgroup/web/{rng.getrandbits(64):016x}"}, None, None)
    if service == "autoscaling":
        return ("autoscaling.amazonaws.com", "DescribeAutoScalingGroups", True, {"maxRecords": 100}, None, None)
    if service == "lambda":
        fn = rng.choice(["orders-worker", "nightly-export", "thumbnailer"])
        return ("lambda.amazonaws.com", rng.choice(["GetFunction", "ListFunctions20150331", "GetFunctionConfiguration20150331v2"]),
                True, {"functionName": fn}, None, None)
    if service == "ssm":
        p = rng.choice(["/prod/reporting/db-host", "/prod/reporting/bucket", "/shared/ami-id"])
        return ("ssm.amazonaws.com", rng.choice(["GetParameter", "GetParameters", "DescribeParameters"]), True,
                {"name": p, "withDecryption": False}, None, None)
    if service == "sts":
        return ("sts.amazonaws.com", "GetCallerIdentity", True, None, None, None)
    raise ValueError(service)


def record(rng, acct, region, t, identity, source, name, ro, rp, re_, resources=None,
           agent=None, ip=None, error=None):
    r = {
        "eventVersion": "1.09" if source != "iam.amazonaws.com" else "1.10",
        "userIdentity": identity,
        "eventTime": iso(t),
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": ip or f"{acct.ip}.{rng.randrange(2, 250)}",
        "userAgent": agent or rng.choice(SDK_AGENTS),
    }
    if error:
        r["errorCode"], r["errorMessage"] = error
    r.update({
        "requestParameters": rp,
        "responseElements": re_,
        "requestID": event_id(rng),
        "eventID": event_id(rng),
        "readOnly": ro,
    })
    if resources:
        r["resources"] = resources
    r.update({
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": acct.id,
        "eventCategory": "Management",
    })
    if "sessionContext" in identity and not identity["sessionContext"]["attributes"]["creationDate"]:
        identity["sessionContext"]["attributes"]["creationDate"] = iso(t.replace(minute=0, second=rng.randrange(60)))
    return r


def benign_records(rng, acct, region, day, hour, session_keys):
    """A few benign records of one account-region-hour, in time order."""
    n = rng.randint(1, 3) if region == "ap-southeast-2" else rng.randint(2, 8)
    out = []
    base = dt.datetime(day.year, day.month, day.day, hour)
    for _ in range(n):
        t = base + dt.timedelta(minutes=rng.randrange(0, 50), seconds=rng.randrange(60))
        roll = rng.random()
        if roll < 0.70:  # an application role
            app, services = rng.choice(acct.apps)
            ident = acct.role_identity(f"{app}", app, session_keys[(app, day)])
            src, name, ro, rp, re_, res = benign_call(rng, acct, region, rng.choice(services))
            out.append(record(rng, acct, region, t, ident, src, name, ro, rp, re_, res))
        elif roll < 0.82:  # a human with the CLI
            user = rng.choice(acct.users)
            svc = rng.choice(["ec2", "s3", "logs", "sts", "ssm"])
            src, name, ro, rp, re_, res = benign_call(rng, acct, region, svc)
            out.append(record(rng, acct, region, t, acct.user_identity(user), src, name, ro, rp, re_, res,
                              agent=CLI_AGENT.format(cmd=name.lower()), ip=f"198.51.100.{acct.index + 10}"))
        elif roll < 0.90:  # an AWS service on the account's behalf
            svc = rng.choice(["kms", "logs"])
            src, name, ro, rp, re_, res = benign_call(rng, acct, region, svc)
            ident = {"type": "AWSService", "invokedBy": rng.choice(["lambda.amazonaws.com", "ec2.amazonaws.com"])}
            out.append(record(rng, acct, region, t, ident, src, name, ro, rp, re_, res,
                              agent=ident["invokedBy"], ip=ident["invokedBy"]))
        elif roll < 0.985 or region != "us-east-1":  # the deploy pipeline, reading
            ident = acct.role_identity("ci-deploy", "GitHubActions", session_keys[("ci-deploy", day)])
            svc = rng.choice(["s3", "ec2", "lambda", "sts"])
            src, name, ro, rp, re_, res = benign_call(rng, acct, region, svc)
            out.append(record(rng, acct, region, t, ident, src, name, ro, rp, re_, res))
        else:  # the deploy pipeline changing a role (IAM is global: us-east-1 only)
            ident = acct.role_identity("ci-deploy", "GitHubActions", session_keys[("ci-deploy", day)])
            role = rng.choice([a for a, _ in acct.apps])
            name = rng.choice(["PutRolePolicy", "TagRole", "AttachRolePolicy", "UpdateAssumeRolePolicy"])
            rp = {"roleName": f"{role}"}
            if name == "PutRolePolicy":
                rp.update({"policyName": f"{role}-inline", "policyDocument": json.dumps(
                    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]})})
            elif name == "TagRole":
                rp["tags"] = [{"key": "deployed-by", "value": "github-actions"}]
            elif name == "AttachRolePolicy":
                rp["policyArn"] = "arn:aws:iam::aws:policy/CloudWatchLambdaInsightsExecutionRolePolicy"
            out.append(record(rng, acct, region, t, ident, "iam.amazonaws.com", name, False, rp, None))
    out.sort(key=lambda r: r["eventTime"])
    return out


def incident(rng, acct):
    """mallory's day in one account: {(region, hour): [records]}."""
    a = acct.id
    d = INCIDENT_DAY
    at = lambda h, m, s=0: dt.datetime(d.year, d.month, d.day, h, m, s)  # noqa: E731
    key = "AKIA" + "MALLORY" + "7Q2XZ4N3P"[:9]
    mallory = {
        "type": "IAMUser",
        "principalId": "AIDAMALLORY5EXAMPLE7",
        "arn": f"arn:aws:iam::{a}:user/mallory",
        "accountId": a,
        "accessKeyId": key,
        "userName": "mallory",
    }
    ip = "203.0.113.77"
    cli = lambda cmd: CLI_AGENT.format(cmd=cmd).replace("Darwin/23.4.0", "Linux/6.5.0-kali3-amd64")  # noqa: E731
    denied = lambda action, res: ("AccessDenied", f"User: arn:aws:iam::{a}:user/mallory is not authorized to perform: {action} on resource: {res} with an explicit deny in an identity-based policy")  # noqa: E731
    secret_arn = f"arn:aws:secretsmanager:us-east-1:{a}:secret:{HONEYTOKEN}-AbCdEf"
    out = {}

    def add(region, t, source, name, ro, rp, re_=None, resources=None, error=None, ident=None,
            agent=None, ip_=None):
        r = record(rng, acct, region, t, dict(ident or mallory), source, name, ro, rp, re_, resources,
                   agent=agent or cli(name.lower()), ip=ip_ or ip, error=error)
        out.setdefault((region, t.hour), []).append(r)

    # Reconnaissance, spread over regions and hours.
    add("us-east-1", at(8, 14, 3), "sts.amazonaws.com", "GetCallerIdentity", True, None)
    add("us-east-1", at(8, 20, 41), "s3.amazonaws.com", "ListBuckets", True, {"Host": "s3.amazonaws.com"})
    add("us-east-1", at(9, 5, 12), "ec2.amazonaws.com", "DescribeInstances", True, {"instancesSet": {}, "filterSet": {}})
    add("eu-west-1", at(9, 7, 30), "ec2.amazonaws.com", "DescribeInstances", True, {"instancesSet": {}, "filterSet": {}})
    add("us-west-2", at(9, 31, 2), "ec2.amazonaws.com", "DescribeInstances", True, {"instancesSet": {}, "filterSet": {}})
    add("eu-west-1", at(10, 22, 18), "secretsmanager.amazonaws.com", "ListSecrets", True, None)
    add("us-east-1", at(10, 40, 55), "iam.amazonaws.com", "ListAttachedUserPolicies", True, {"userName": "mallory"})
    add("us-east-1", at(11, 30, 9), "secretsmanager.amazonaws.com", "ListSecrets", True, None)
    # The honeytoken read.
    add("us-east-1", at(11, 42, 10), "secretsmanager.amazonaws.com", "GetSecretValue", True,
        {"secretId": HONEYTOKEN}, None,
        [{"accountId": a, "type": "AWS::SecretsManager::Secret", "ARN": secret_arn}])
    # The kill-switch: Lambda assumes its role, the role denies everything and disables the key.
    ks_key = "ASIAKILLSWITCH4EXMPL"
    ks_role_id = "AROAKILLSWITCH5EXAMP"
    add("us-east-1", at(11, 43, 2), "sts.amazonaws.com", "AssumeRole", True,
        {"roleArn": f"arn:aws:iam::{a}:role/HoneytokenKillSwitch", "roleSessionName": "killswitch"},
        {"credentials": {"accessKeyId": ks_key, "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE", "expiration": "Nov 20, 2026, 12:43:02 PM"},
         "assumedRoleUser": {"assumedRoleId": f"{ks_role_id}:killswitch",
                             "arn": f"arn:aws:sts::{a}:assumed-role/HoneytokenKillSwitch/killswitch"}},
        [{"accountId": a, "type": "AWS::IAM::Role", "ARN": f"arn:aws:iam::{a}:role/HoneytokenKillSwitch"}],
        ident={"type": "AWSService", "invokedBy": "lambda.amazonaws.com"},
        agent="lambda.amazonaws.com", ip_="lambda.amazonaws.com")
    ks = {
        "type": "AssumedRole",
        "principalId": f"{ks_role_id}:killswitch",
        "arn": f"arn:aws:sts::{a}:assumed-role/HoneytokenKillSwitch/killswitch",
        "accountId": a,
        "accessKeyId": ks_key,
        "sessionContext": {
            "sessionIssuer": {"type": "Role", "principalId": ks_role_id,
                              "arn": f"arn:aws:iam::{a}:role/HoneytokenKillSwitch", "accountId": a,
                              "userName": "HoneytokenKillSwitch"},
            "attributes": {"creationDate": iso(at(11, 43, 2)), "mfaAuthenticated": "false"},
        },
    }
    ks_agent = "aws-sdk-rust/1.3.9 ua/2.1 api/iam/1.61.0 os/linux lang/rust/1.85.0 exec-env/AWS_Lambda_provided.al2023"
    deny_all = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "HoneytokenKillSwitch", "Effect": "Deny", "Action": "*", "Resource": "*"}]}, indent=2)
    add("us-east-1", at(11, 43, 5), "iam.amazonaws.com", "PutUserPolicy", False,
        {"userName": "mallory", "policyName": "HoneytokenDenyAll", "policyDocument": deny_all},
        ident=ks, agent=ks_agent, ip_="3.236.71.18")
    add("us-east-1", at(11, 43, 6), "iam.amazonaws.com", "UpdateAccessKey", False,
        {"userName": "mallory", "accessKeyId": key, "status": "Inactive"},
        ident=ks, agent=ks_agent, ip_="3.236.71.18")
    # mallory's next calls, denied.
    add("us-east-1", at(11, 43, 40), "secretsmanager.amazonaws.com", "ListSecrets", True, None,
        error=denied("secretsmanager:ListSecrets", "*"))
    pay = f"arn:aws:secretsmanager:eu-west-1:{a}:secret:prod/payments/stripe-key-Qw3rTy"
    add("eu-west-1", at(11, 44, 12), "secretsmanager.amazonaws.com", "GetSecretValue", True,
        {"secretId": "prod/payments/stripe-key"}, None,
        [{"accountId": a, "type": "AWS::SecretsManager::Secret", "ARN": pay}],
        error=denied("secretsmanager:GetSecretValue", pay))
    for region, m in [("ap-southeast-2", 45), ("us-west-2", 46)]:
        add(region, at(11, m, 3), "ec2.amazonaws.com", "DescribeInstances", True,
            {"instancesSet": {}, "filterSet": {}},
            error=("Client.UnauthorizedOperation", "You are not authorized to perform this operation. User: "
                   f"arn:aws:iam::{a}:user/mallory is not authorized to perform: ec2:DescribeInstances "
                   "with an explicit deny in an identity-based policy"))
    return out


def generate(n_accounts, n_days, seed=17):
    """[(key, gzip bytes)], the incident account, and the planted records."""
    rng = random.Random(seed)
    accounts = [Account(rng, ORG, i) for i in range(n_accounts)]
    victim = accounts[min(6, n_accounts - 1)]
    planted = incident(random.Random(seed + 1), victim)
    days = [FIRST_DAY + dt.timedelta(days=i) for i in range(n_days)]
    assert INCIDENT_DAY in days, "--days must reach 2026-11-20"
    objects = []
    for acct in accounts:
        session_keys = {}
        for day in days:
            for role in list(acct.role_ids):
                session_keys[(role, day)] = key_id(rng, "ASIA")
        for region in REGIONS:
            for day in days:
                for hour in range(24):
                    recs = benign_records(rng, acct, region, day, hour, session_keys)
                    if acct is victim and day == INCIDENT_DAY:
                        recs = sorted(recs + planted.get((region, hour), []), key=lambda r: r["eventTime"])
                    stamp = f"{day:%Y%m%d}T{hour:02d}{50 + rng.randrange(10):02d}Z"
                    key = (f"AWSLogs/{ORG}/{acct.id}/CloudTrail/{region}/{day:%Y/%m/%d}/"
                           f"{acct.id}_CloudTrail_{region}_{stamp}_{rand_name(rng)}.json.gz")
                    body = gzip.compress(json.dumps({"Records": recs}, separators=(",", ":")).encode(), 6, mtime=0)
                    objects.append((key, body))
    return objects, victim, planted


# ---------------------------------------------------------------------------------------------
# The server and the runs


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(py, workdir):
    port = free_port()
    seed = os.path.join(workdir, "seed.json")
    with open(seed, "w") as f:
        f.write("{}")
    log = open(os.path.join(workdir, "moto.log"), "wb")
    env = dict(os.environ, TRAILCASE_MOTO_SEED=seed)
    proc = subprocess.Popen([py, os.path.join(REPO, "tests/moto/trailcase_moto.py"), "-H", "127.0.0.1",
                             "-p", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.time() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"the test server did not start; see {log.name}")
            time.sleep(0.1)
    return proc, f"http://127.0.0.1:{port}"


def clients(endpoint):
    import boto3
    from botocore.config import Config

    conf = Config(max_pool_connections=64, retries={"max_attempts": 10, "mode": "standard"},
                  s3={"addressing_style": "path"})
    kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
              aws_secret_access_key="testing", config=conf)
    return boto3.client("s3", **kw), boto3.client("athena", **kw)


def seed_bucket(s3, objects, threads):
    s3.create_bucket(Bucket=BUCKET)
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        for n, _ in enumerate(pool.map(lambda kv: s3.put_object(Bucket=BUCKET, Key=kv[0], Body=kv[1]), objects), 1):
            if n % 5000 == 0:
                el = time.perf_counter() - t0
                print(f"  seeded {n}/{len(objects)} objects in {el:.0f} s ({n / el:.0f}/s)", flush=True)
    return time.perf_counter() - t0


def athena_sql(athena, sql):
    qid = athena.start_query_execution(QueryString=sql)["QueryExecutionId"]
    while True:
        st = athena.get_query_execution(QueryExecutionId=qid)["QueryExecution"]["Status"]
        if st["State"] not in ("RUNNING", "QUEUED"):
            return st["State"], st.get("StateChangeReason", "")
        time.sleep(0.05)


def trailcase(binary, endpoint, args, cwd, endpoint_flag=True):
    cmd = [binary] + args + (["--endpoint-url", endpoint] if endpoint_flag else [])
    env = dict(os.environ, **ENV)
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True)
    return p, time.perf_counter() - t0


def case_numbers(case):
    m = json.load(open(os.path.join(case, "manifest.json")))
    entries = m.get("entries", [])
    s3 = [e for e in entries if e.get("s3")]
    trail = [e for e in s3 if "/CloudTrail/" in e["s3"]["key"]]
    digests = [e for e in s3 if "/CloudTrail-Digest/" in e["s3"]["key"]]
    scanned, queries, states = 0, 0, []
    for ex in sorted(glob.glob(os.path.join(case, "athena", "*", "execution.json"))):
        q = json.load(open(ex))["QueryExecution"]
        queries += 1
        scanned += q.get("Statistics", {}).get("DataScannedInBytes", 0) or 0
        states.append((os.path.basename(os.path.dirname(ex)), q["Status"]["State"],
                       q.get("Statistics", {}).get("DataScannedInBytes", 0)))
    return {
        "trail_objects": len(trail),
        "trail_bytes": sum(e["size"] for e in trail),
        "digest_objects": len(digests),
        "s3_bytes": sum(e["size"] for e in s3),
        "trail_keys": sorted(e["s3"]["key"] for e in trail),
        "athena_queries": queries,
        "athena_scanned": scanned,
        "athena_executions": states,
        "gaps": m.get("gaps", []),
    }


def incidents_of(binary, case, cwd):
    p = subprocess.run([binary, "timeline", case, "--format", "json", "--quiet"], cwd=cwd,
                       capture_output=True, env=dict(os.environ, SOURCE_DATE_EPOCH="1795000000"))
    try:
        t = json.loads(p.stdout)
    except ValueError:
        return None, p.returncode, p.stderr.decode(errors="replace")
    fields = ["actor", "access_event_ids", "milestones", "latency_seconds"]
    full = ["id", "honeytoken", "containment", "containment_status", "event_ids"]
    return ([{k: i.get(k) for k in fields + full} for i in t.get("incidents", [])], p.returncode,
            p.stderr.decode(errors="replace"))


def server_requests(log, offset):
    """What the run asked the server, from its request log: {kind: [count, first, last]} (the
    log's times are whole seconds)."""
    out = {}
    with open(log, "rb") as f:
        f.seek(offset)
        for line in f.read().decode(errors="replace").splitlines():
            parts = line.split('"')
            if len(parts) < 2 or "[" not in parts[0]:
                continue
            when = parts[0].split("[")[1].split("]")[0].split(" ")[-1]
            req = parts[1]
            kind = ("athena/other POST" if req.startswith("POST") else "ListObjectsV2" if "list-type=2" in req
                    else "GetObject" if "GetObject" in req else req.split(" ")[0])
            c = out.setdefault(kind, [0, when, when])
            c[0] += 1
            c[2] = when
    return out


def human(n):
    for unit in ["B", "KB", "MB", "GB"]:
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(REPO, "target/debug/trailcase"))
    ap.add_argument("--accounts", type=int, default=20)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--threads", type=int, default=16, help="parallel PUTs while seeding")
    ap.add_argument("--month", action="store_true", help="also collect --athena over every generated day")
    ap.add_argument("--out", default=os.path.join(REPO, "bench-data"))
    ap.add_argument("--runs", type=int, default=1, help="time each collect N times (fresh cases), report the fastest")
    ap.add_argument("--keep", action="store_true", help="keep the cases and the server's log")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    py = sys.executable
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="bench-athena-")
    results = {"machine": {"cpus": os.cpu_count()}, "binary": binary}

    t0 = time.perf_counter()
    objects, victim, planted = generate(args.accounts, args.days)
    gen = time.perf_counter() - t0
    total_bytes = sum(len(b) for _, b in objects)
    incident_keys = sorted(k for k, b in objects
                           if victim.id in k and "mallory" in gzip.decompress(b).decode())
    print(f"generated {len(objects)} objects ({human(total_bytes)}) in {gen:.1f} s; incident in account "
          f"{victim.id}, mallory in {len(incident_keys)} files", flush=True)
    results.update(objects=len(objects), bucket_bytes=total_bytes, generate_seconds=gen,
                   victim=victim.id, incident_files=incident_keys,
                   records=sum(len(json.loads(gzip.decompress(b))["Records"]) for _, b in objects))

    proc, endpoint = start_server(py, work)
    try:
        s3, athena = clients(endpoint)
        print(f"server {endpoint}; seeding bucket {BUCKET} with {args.threads} threads", flush=True)
        results["seed_seconds"] = seed_bucket(s3, objects, args.threads)
        print(f"seeded in {results['seed_seconds']:.0f} s", flush=True)
        del objects

        p, _ = trailcase(binary, endpoint, ["athena", "ddl", f"s3://{BUCKET}/AWSLogs/{ORG}/", "--org",
                                            "--table", TABLE, "--since", "2026/01/01"], work)
        if p.returncode != 0:
            raise SystemExit(f"athena ddl exited {p.returncode}: {p.stderr.decode()}")
        ddl = p.stdout.decode()
        open(os.path.join(args.out, "athena-bench-ddl.sql"), "w").write(ddl)
        state, reason = athena_sql(athena, ddl)
        print(f"CREATE TABLE: {state} {reason}", flush=True)
        if state != "SUCCEEDED":
            raise SystemExit(f"the DDL did not succeed: {state} {reason}")

        runs = [("s3-day", ["--s3", f"s3://{BUCKET}/AWSLogs/"], "2026-11-20T00:00Z", "2026-11-21T00:00Z"),
                ("athena-day", ["--athena", TABLE], "2026-11-20T00:00Z", "2026-11-21T00:00Z")]
        if args.month:
            last = FIRST_DAY + dt.timedelta(days=args.days)
            runs.append(("athena-month", ["--athena", TABLE], f"{FIRST_DAY}T00:00Z", f"{last}T00:00Z"))
        results["runs"] = {}
        for name, how, frm, to in runs:
            print(f"{name}: collect {' '.join(how)} --from {frm} --to {to}", flush=True)
            walls, loads, requests_all = [], [], []
            for i in range(args.runs):  # each into a fresh case; the last one's case is examined
                case = os.path.join(work, name if i == 0 else f"{name}-{i + 1}")
                shutil.rmtree(case, ignore_errors=True)
                load = os.getloadavg()[0]
                log_at = os.path.getsize(os.path.join(work, "moto.log"))
                p, wall = trailcase(binary, endpoint, ["collect", "--case", case] + how +
                                    ["--from", frm, "--to", to, "--quiet"], work)
                walls.append(wall)
                requests = server_requests(os.path.join(work, "moto.log"), log_at)
                requests_all.append(requests)
                loads.append((load, os.getloadavg()[0]))
            wall = min(walls)
            err = p.stderr.decode(errors="replace")
            open(os.path.join(args.out, f"athena-bench-{name}.stderr"), "w").write(err)
            r = case_numbers(case)
            r.update(wall_seconds=wall, walls=walls, server_requests=requests_all, load_before_after=loads, exit=p.returncode, stderr=err.splitlines()[-20:], window=[frm, to])
            inc, tcode, terr = incidents_of(binary, case, work)
            r.update(incidents=inc, timeline_exit=tcode, timeline_stderr=terr.splitlines()[-10:])
            r["has_all_incident_files"] = all(k in r["trail_keys"] for k in incident_keys)
            results["runs"][name] = r
            print(f"  exit {p.returncode} in {wall:.1f} s: {r['trail_objects']} trail objects, "
                  f"{human(r['trail_bytes'])}; {r['athena_queries']} queries scanned "
                  f"{human(r['athena_scanned'])}; {len(r['gaps'])} gaps; timeline exit {tcode}, "
                  f"{len(inc or [])} incidents", flush=True)
            print(f"    wall times {[round(w, 1) for w in walls]} s; 1-min load average before/after "
                  f"{[(round(a, 1), round(b, 1)) for a, b in loads]}; the last run's server requests "
                  f"{{kind: [count, first, last]}}: {requests}", flush=True)
            for line in err.splitlines()[-5:]:
                print(f"    stderr: {line}", flush=True)
        try:
            results["server_athena"] = json.load(urllib.request.urlopen(f"{endpoint}/_trailcase/athena"))["queries"]
        except Exception as e:  # noqa: BLE001
            results["server_athena"] = str(e)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    a, b = results["runs"]["s3-day"], results["runs"]["athena-day"]
    keys = ["actor", "access_event_ids", "milestones", "latency_seconds"]
    pick = lambda inc: [{k: i[k] for k in keys} for i in (inc or [])]  # noqa: E731
    results["incidents_equal"] = bool(a["incidents"]) and pick(a["incidents"]) == pick(b["incidents"])
    results["incidents_equal_all_fields"] = a["incidents"] == b["incidents"]

    rows = [
        ("objects in the bucket", f"{results['objects']:,}", f"{results['objects']:,}"),
        ("trail objects fetched", f"{a['trail_objects']:,}", f"{b['trail_objects']:,}"),
        ("bytes fetched (trail files)", human(a["trail_bytes"]), human(b["trail_bytes"])),
        ("wall time", f"{a['wall_seconds']:.1f} s", f"{b['wall_seconds']:.1f} s"),
        ("exit code", str(a["exit"]), str(b["exit"])),
        ("Athena queries", "—", str(b["athena_queries"])),
        ("Athena data scanned", "—", human(b["athena_scanned"])),
        ("incidents (actor, reads, milestones, latencies)", f"{len(a['incidents'] or [])}",
         f"{len(b['incidents'] or [])}, {'equal' if results['incidents_equal'] else 'DIFFERENT'}"),
    ]
    head = ["", "`collect --s3` (incident day)", "`collect --athena` (incident day)"]
    if "athena-month" in results["runs"]:
        c = results["runs"]["athena-month"]
        head.append(f"`collect --athena` ({args.days} days)")
        extra = [f"{results['objects']:,}", f"{c['trail_objects']:,}", human(c["trail_bytes"]),
                 f"{c['wall_seconds']:.1f} s", str(c["exit"]), str(c["athena_queries"]),
                 human(c["athena_scanned"]), f"{len(c['incidents'] or [])}"]
        rows = [r + (e,) for r, e in zip(rows, extra)]
    table = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    table += ["| " + " | ".join(r) + " |" for r in rows]
    md = "\n".join([
        f"# collect --athena vs --s3: {args.accounts} accounts x {len(REGIONS)} regions x {args.days} days",
        "",
        f"{results['objects']:,} hourly trail files ({human(results['bucket_bytes'])}, {results['records']:,} records); "
        f"the incident (mallory, account {victim.id}) in {len(incident_keys)} files of 2026-11-20. "
        f"Seeding the emulator's bucket ({args.threads} parallel PUTs): {results['seed_seconds']:.0f} s. "
        f"{os.cpu_count()} CPUs; S3 and Athena are the local test server. Wall time: the fastest of "
        f"{args.runs} run(s) (all of them, the load average around each and the server's request "
        "counts are in athena-bench.json).",
        "",
        *table,
        "",
    ])
    print()
    print(md)
    open(os.path.join(args.out, "athena-bench.md"), "w").write(md)
    json.dump(results, open(os.path.join(args.out, "athena-bench.json"), "w"), indent=1, default=str)
    if args.keep:
        print(f"cases and server log kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

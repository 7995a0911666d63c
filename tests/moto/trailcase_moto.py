"""moto's server, plus what trailcase's tests need that moto lacks: CloudTrail LookupEvents and
ListPublicKeys (answered from a seed file, with throttling and access denial on demand),
AccessDenied on chosen S3 objects, and CloudWatch DescribeAlarms, DescribeAlarmHistory and
GetMetricData over the rpc-v2-cbor protocol that aws-sdk-cloudwatch speaks (moto only speaks
the older query protocol, and has no alarm history), AccessDenied on chosen IAM actions (seed
`iam_deny`, e.g. ["UpdateAccessKey"], for the kill-switch's partial-failure tests), and the
CloudWatch Logs delivery fields of GetTrailStatus that moto leaves out (seed `trail_status`:
{"<trail name>": {"LatestCloudWatchLogsDeliveryTime": "<ISO time>", ...}}), AccessDenied on
STS GetCallerIdentity (seed `sts_deny`: true, for the collector identity that cannot be read),
AccessDenied on S3 Control ListAccessPoints (seed `s3control_deny`: true; S3 Control's answers
get the root element the SDK expects, see `_s3control`), and S3 misbehaving
as real S3 and real networks do (see `_s3_misbehaviour`): objects deleted or overwritten between
the listing and the GET (seed `delete_before_get`, `overwrite_before_get`: [key]), bodies altered in transit (`corrupt_get`: {key: n},
the first n GETs; with `no_checksum`: [key] the x-amz-checksum-* headers are left out, as for an
object uploaded without one, so only the ETag can show it), connections closed half way through the body (`truncate_get`: {key: n}), slow
answers (`slow_get`: {key: seconds}; `get_latency`: seconds, every other GET, as a network's
round trip), and the 301 PermanentRedirect S3 sends when a request for a
bucket created with a LocationConstraint is signed for another region; and Amazon Athena really
executing SQL (sqlglot's Trino -> DuckDB) over the CloudTrail objects in moto's S3, with partition
projection and pruning, paging, and `GET /_trailcase/athena` listing every query (see athena.py
for what it does and its seed keys `athena_running_polls`, `athena_page_size`, `athena_fail`,
`athena_cancel`, `athena_throttle`, `athena_deny`); and `GET /_trailcase/requests`, every
request the server was sent before it, in order: [{"method", "path", "query", "target"
(X-Amz-Target)}...], so a test can show a call was never made (posture's decoy existence
checks never read the decoy). Started by
tests/common/moto.rs as `python3 trailcase_moto.py -p PORT`; the seed
file is named by TRAILCASE_MOTO_SEED and read on every request, so a test can change it while the
server runs.

It also routes the AWS SDK for Rust's short JSON targets (`CloudTrail_20131101.DescribeTrails`),
which botocore 1.44's longer target prefix made moto answer with 404.

The responses are what the real APIs return (awsJson1.1 for CloudTrail: times as epoch seconds,
CloudTrailEvent as a JSON string; rpc-v2-cbor for CloudWatch: times as CBOR tag 1), so the SDK's
real deserialisers run.
"""

import datetime
import gzip
import json
import os
import re
import sys
import threading
import time

import cbor2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import athena  # noqa: E402  (tests/moto/athena.py)

from moto.cloudtrail.responses import CloudTrailResponse
from moto.core.exceptions import JsonRESTError
from moto.iam.exceptions import IAMException
from moto.iam.responses import IamResponse
from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.exceptions import S3AccessDeniedError
from moto.s3.models import s3_backends
from moto.s3.responses import S3Response
from moto.sts.exceptions import STSClientError
from moto.sts.responses import TokenResponse
from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.server import main

_calls = {}
_requests = []
_lock = threading.Lock()


def _seed():
    path = os.environ.get("TRAILCASE_MOTO_SEED")
    if not path or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _epoch(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _count(key):
    with _lock:
        n = _calls.get(key, 0)
        _calls[key] = n + 1
        return n


def _item(record):
    resources = [
        {"ResourceType": r.get("type"), "ResourceName": r.get("ARN")}
        for r in record.get("resources", [])
    ]
    item = {
        "EventId": record["eventID"],
        "EventName": record["eventName"],
        "ReadOnly": "true" if record.get("readOnly") else "false",
        "EventTime": _epoch(record["eventTime"]),
        "EventSource": record["eventSource"],
        "Resources": resources,
        "CloudTrailEvent": json.dumps(record),
    }
    ident = record.get("userIdentity", {})
    if ident.get("accessKeyId"):
        item["AccessKeyId"] = ident["accessKeyId"]
    if ident.get("userName"):
        item["Username"] = ident["userName"]
    return item


def _matches(item, attrs):
    for a in attrs:
        key, value = a["AttributeKey"], a["AttributeValue"]
        if key == "ResourceName":
            if not any(r.get("ResourceName") == value for r in item["Resources"]):
                return False
        elif str(item.get(key)) != value:
            return False
    return True


def lookup_events(self):
    seed = _seed()
    region = self.region
    if region in seed.get("deny_lookup", []):
        raise JsonRESTError(
            "AccessDeniedException",
            "User is not authorized to perform: cloudtrail:LookupEvents",
        )
    # Throttle the first N requests of a region, as the real API does past ~2 requests/s.
    if _count(("lookup", region)) < seed.get("throttle_first", {}).get(region, 0):
        raise JsonRESTError("ThrottlingException", "Rate exceeded")
    params = json.loads(self.body or "{}")
    if len(params.get("LookupAttributes", [])) > 1:
        # As the real API: "Currently the list can contain only one item."
        raise JsonRESTError(
            "InvalidLookupAttributesException", "You can only specify one lookup attribute."
        )
    start = params.get("StartTime", 0)
    end = params.get("EndTime", 1e12)
    items = [_item(r) for r in seed.get("lookup", {}).get(region, [])]
    items = [
        i
        for i in items
        if start <= i["EventTime"] <= end and _matches(i, params.get("LookupAttributes", []))
    ]
    items.sort(key=lambda i: -i["EventTime"])  # newest first, as the API returns them
    size = min(int(params.get("MaxResults", 50)), int(seed.get("page_size", 50)))
    offset = int(params.get("NextToken", "0"))
    out = {"Events": items[offset : offset + size]}
    if offset + size < len(items):
        out["NextToken"] = str(offset + size)
    return json.dumps(out)


def list_public_keys(self):
    keys = _seed().get("public_keys", {}).get(self.region, [])
    return json.dumps(
        {
            "PublicKeyList": [
                {
                    "Value": k["Value"],
                    "ValidityStartTime": _epoch(k["ValidityStartTime"]),
                    "ValidityEndTime": _epoch(k["ValidityEndTime"]),
                    "Fingerprint": k["Fingerprint"],
                }
                for k in keys
            ]
        }
    )


_original_trail_status = CloudTrailResponse.get_trail_status


def get_trail_status(self):
    out = json.loads(_original_trail_status(self))
    name = json.loads(self.body or "{}").get("Name", "").split("/")[-1]
    for key, value in _seed().get("trail_status", {}).get(name, {}).items():
        out[key] = _epoch(value) if key.endswith("Time") else value
    return json.dumps(out)


_original_get = S3Response._key_response_get


def _key_response_get(self, query, key_name):
    seed = _seed()
    if key_name in seed.get("deny_get", []):
        raise S3AccessDeniedError()
    if key_name in seed.get("delete_before_get", []):
        # Listed a moment ago, deleted now: S3 answers 404 NoSuchKey.
        self.backend.delete_object(self.bucket_name, key_name)
    if key_name in seed.get("overwrite_before_get", []):
        # Listed a moment ago, overwritten now: a GET with If-Match on the listed ETag gets 412.
        body = gzip.compress(b"overwritten: " + key_name.encode(), mtime=0)
        self.backend.put_object(self.bucket_name, key_name, body)
    return _original_get(self, query, key_name)


def _sigv4_scope(environ):
    """(region, service) of the request's SigV4 credential scope."""
    m = re.search(
        r"Credential=[^/]+/[^/]+/([^/]+)/([^/]+)/", environ.get("HTTP_AUTHORIZATION", "")
    )
    return (m.group(1), m.group(2)) if m else (None, None)


def _bucket_and_key(environ):
    """Path-style addressing (what --endpoint-url makes the SDK use): /bucket/key."""
    parts = environ.get("PATH_INFO", "/").lstrip("/").split("/", 1)
    return parts[0], (parts[1] if len(parts) > 1 else "")


def _redirect(environ, start_response, bucket, region):
    """What S3 answers a request signed for the wrong region: 301 PermanentRedirect naming the
    bucket's region in x-amz-bucket-region (HEAD has no body)."""
    body = b""
    if environ.get("REQUEST_METHOD") != "HEAD":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PermanentRedirect</Code>'
            "<Message>The bucket you are attempting to access must be addressed using the "
            "specified endpoint. Please send all future requests to this endpoint.</Message>"
            f"<Endpoint>s3.{region}.amazonaws.com</Endpoint><Bucket>{bucket}</Bucket></Error>"
        ).encode()
    start_response(
        "301 Moved Permanently",
        [
            ("Content-Type", "application/xml"),
            ("x-amz-bucket-region", region),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


def _s3_misbehaviour(self, environ, start_response):
    """None when the request is to be answered by moto as it is; else the WSGI answer."""
    region, service = _sigv4_scope(environ)
    if service != "s3":
        return None
    bucket, key = _bucket_and_key(environ)
    found = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].buckets.get(bucket) if bucket else None
    if found is not None and region and found.region_name != region:
        return _redirect(environ, start_response, bucket, found.region_name)
    if environ.get("REQUEST_METHOD") != "GET" or not key:
        return None
    seed = _seed()
    delay = seed.get("slow_get", {}).get(key, seed.get("get_latency"))
    if delay:
        time.sleep(delay)
    corrupt = _count(("corrupt", key)) < seed.get("corrupt_get", {}).get(key, 0)
    truncate = _count(("truncate", key)) < seed.get("truncate_get", {}).get(key, 0)
    if not (corrupt or truncate):
        return None
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers
        return lambda data: None

    answer = _original_call(self, environ, capture)
    try:
        body = b"".join(answer)
    finally:
        if hasattr(answer, "close"):
            answer.close()
    if not captured["status"].startswith("200") or not body:
        start_response(captured["status"], captured["headers"])
        return [body]
    drop = {"content-length"}
    if key in seed.get("no_checksum", []):
        drop |= {k.lower() for k, _ in captured["headers"] if k.lower().startswith("x-amz-checksum")}
    headers = [(k, v) for k, v in captured["headers"] if k.lower() not in drop]
    headers.append(("Content-Length", str(len(body))))
    start_response(captured["status"], headers)
    if corrupt:
        # Same length, same ETag header, one byte changed: what a faulty proxy or disk delivers.
        middle = len(body) // 2
        return [body[:middle] + bytes([body[middle] ^ 0x55]) + body[middle + 1 :]]
    # Half the declared Content-Length, then werkzeug closes the connection.
    return [body[: len(body) // 2]]


CBOR_PATH = "/service/GraniteServiceVersion20100801/operation/"


def _tag(iso):
    return cbor2.CBORTag(1, _epoch(iso))


def _cw_region(environ):
    m = re.search(r"Credential=[^/]+/[^/]+/([^/]+)/", environ.get("HTTP_AUTHORIZATION", ""))
    return m.group(1) if m else "us-east-1"


def _cloudwatch(operation, request, seed):
    if operation == "DescribeAlarms":
        alarms = []
        for a in seed.get("alarms", []):
            a = dict(a)
            for k in list(a):
                if k.endswith("Timestamp"):
                    a[k] = _tag(a[k])
            alarms.append(a)
        return 200, {"MetricAlarms": alarms, "CompositeAlarms": []}
    if operation == "DescribeAlarmHistory":
        if "DescribeAlarmHistory" in seed.get("deny", []):
            return 400, {
                "__type": "AccessDenied",
                "message": "User is not authorized to perform: cloudwatch:DescribeAlarmHistory",
            }
        items = [
            dict(h, Timestamp=_tag(h["Timestamp"]))
            for h in seed.get("history", [])
            if h["AlarmName"] == request.get("AlarmName")
        ]
        return 200, {"AlarmHistoryItems": items}
    if operation == "GetMetricData":
        results = []
        for q in request.get("MetricDataQueries", []):
            metric = q["MetricStat"]["Metric"]
            rule = next(d["Value"] for d in metric["Dimensions"] if d["Name"] == "RuleName")
            points = seed.get("metrics", {}).get(f"{rule} {metric['MetricName']}", [])
            results.append(
                {
                    "Id": q["Id"],
                    "Label": q.get("Label", q["Id"]),
                    "Timestamps": [_tag(t) for t, _ in points],
                    "Values": [float(v) for _, v in points],
                    "StatusCode": "Complete",
                }
            )
        return 200, {"MetricDataResults": results, "Messages": []}
    return 400, {"__type": "InvalidAction", "message": f"{operation} is not served here"}


_original_call = DomainDispatcherApplication.__call__


def _s3control(self, environ, start_response):
    """S3 Control as the AWS SDK for Rust reads it: moto names the root element of an answer
    `<Operation>Response`, the SDK expects `<Operation>Result` (as S3 Control sends) and fails
    to decode the answer otherwise; the root is renamed, nothing else is changed."""
    captured = {}

    def capture(status, headers, exc_info=None):
        captured["status"], captured["headers"] = status, headers

    body = b"".join(_original_call(self, environ, capture))
    if captured["status"].startswith("200"):
        body = re.sub(rb"<(/?)(\w+)Response(\s|>)", rb"<\1\2Result\3", body, count=2)
    headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
    headers.append(("Content-Length", str(len(body))))
    start_response(captured["status"], headers)
    return [body]


def _record(environ):
    """Note the request for `GET /_trailcase/requests`."""
    with _lock:
        _requests.append(
            {
                "method": environ.get("REQUEST_METHOD", ""),
                "path": environ.get("PATH_INFO", ""),
                "query": environ.get("QUERY_STRING", ""),
                "target": environ.get("HTTP_X_AMZ_TARGET", ""),
            }
        )


def _requests_answer(start_response):
    with _lock:
        body = json.dumps(_requests).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _dispatch(self, environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/_trailcase/requests":
        return _requests_answer(start_response)
    _record(environ)
    if path.startswith("/v20180820/"):
        return _s3control(self, environ, start_response)
    if environ.get("HTTP_X_AMZ_TARGET", "").startswith("AmazonAthena.") or path.startswith(
        "/_trailcase/athena"
    ):
        answer = athena.wsgi(environ, start_response, _seed())
        if answer is not None:
            return answer
    if not path.startswith(CBOR_PATH):
        answer = _s3_misbehaviour(self, environ, start_response)
        if answer is not None:
            return answer
        return _original_call(self, environ, start_response)
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    request = cbor2.loads(body) if body else {}
    seed = _seed().get("cloudwatch", {}).get(_cw_region(environ), {})
    status, out = _cloudwatch(path[len(CBOR_PATH) :], request, seed)
    data = cbor2.dumps(out)
    start_response(
        "200 OK" if status == 200 else "400 Bad Request",
        [
            ("Content-Type", "application/cbor"),
            ("smithy-protocol", "rpc-v2-cbor"),
            ("Content-Length", str(len(data))),
        ],
    )
    return [data]


class _IamAccessDenied(IAMException):
    code = "AccessDenied"


def _deniable(action, method):
    original = getattr(IamResponse, method)

    def wrapper(self):
        if action in _seed().get("iam_deny", []):
            raise _IamAccessDenied(
                "User: arn:aws:sts::123456789012:assumed-role/HoneytokenKillSwitchRole/"
                f"HoneytokenKillSwitch is not authorized to perform: iam:{action}"
            )
        return original(self)

    setattr(IamResponse, method, wrapper)


for _action, _method in [
    ("PutUserPolicy", "put_user_policy"),
    ("UpdateAccessKey", "update_access_key"),
    ("DeleteLoginProfile", "delete_login_profile"),
    ("PutRolePolicy", "put_role_policy"),
]:
    _deniable(_action, _method)

_original_get_caller_identity = TokenResponse.get_caller_identity


def get_caller_identity(self):
    if _seed().get("sts_deny"):
        raise STSClientError(
            "AccessDenied",
            "User is not authorized to perform: sts:GetCallerIdentity",
        )
    return _original_get_caller_identity(self)


# botocore 1.44 names CloudTrail's JSON target prefix
# `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`; the AWS SDK for Rust sends the
# shorter `CloudTrail_20131101.<Operation>`, which AWS accepts as well. moto routes by botocore's
# prefix (a 404 for the SDK's request): when the whole target matches no operation, one whose
# full target ends with it does.
try:
    from moto.core.routing import JSONRouter
except ImportError:  # an older moto, which routes the short target itself
    JSONRouter = None

if JSONRouter is not None:
    _original_json_match = JSONRouter._match

    def _json_match(self, request):
        operation, params = _original_json_match(self, request)
        target = request.headers.get("X-Amz-Target", "")
        if operation is None and target:
            for full, candidate in self._operations_by_target.items():
                if full.endswith("." + target):
                    return candidate, params
        return operation, params

    JSONRouter._match = _json_match

# S3 Control's ListAccessPoints (served by moto) denied on demand: seed `s3control_deny`: true,
# for the listing of a decoy bucket's access points that is refused.
from moto.s3control.responses import S3ControlResponse  # noqa: E402
from moto.s3.exceptions import S3ClientError  # noqa: E402

_original_list_access_points = S3ControlResponse.list_access_points


def list_access_points(self):
    if _seed().get("s3control_deny"):
        raise S3ClientError(
            "AccessDenied",
            "User is not authorized to perform: s3:ListAccessPoints",
        )
    return _original_list_access_points(self)


S3ControlResponse.list_access_points = list_access_points

# SSM DescribeParameters: AWS gives each parameter's ARN (ParameterMetadata.ARN); moto leaves it
# out. Added, in the account and region of the request, so that a parameter's own ARN can be
# read as `trailcase posture` reads it from AWS.
from moto.ssm.models import Parameter  # noqa: E402
from moto.ssm.responses import SimpleSystemManagerResponse  # noqa: E402
from moto.ssm.utils import parameter_arn  # noqa: E402

_original_describe_parameters = SimpleSystemManagerResponse.describe_parameters
_original_describe_response_object = Parameter.describe_response_object
_describe_lock = threading.Lock()


def describe_parameters(self):
    region = self.region

    def with_arn(param, *args, **kwargs):
        r = _original_describe_response_object(param, *args, **kwargs)
        r.setdefault("ARN", parameter_arn(param.account_id, region, param.name))
        return r

    with _describe_lock:
        Parameter.describe_response_object = with_arn
        try:
            return _original_describe_parameters(self)
        finally:
            Parameter.describe_response_object = _original_describe_response_object


SimpleSystemManagerResponse.describe_parameters = describe_parameters
TokenResponse.get_caller_identity = get_caller_identity
DomainDispatcherApplication.__call__ = _dispatch
CloudTrailResponse.lookup_events = lookup_events
CloudTrailResponse.list_public_keys = list_public_keys
CloudTrailResponse.get_trail_status = get_trail_status
S3Response._key_response_get = _key_response_get

if __name__ == "__main__":
    main()

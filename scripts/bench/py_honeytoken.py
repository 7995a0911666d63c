"""Reference: what a responder's Python script does to find the honeytoken reads.

Usage: py_honeytoken.py DIR OUT. Reads every trail file with gzip + json (one process) and
writes the GetSecretValue calls naming Production_Database_Credentials, sorted by time.
"""

import gzip
import json
import re
import sys

from trail_files import trail_files

NAME = "Production_Database_Credentials"
SUFFIX = re.compile(r"-[A-Za-z0-9]{6}$")


def canonical(secret_id):
    name = secret_id.split(":secret:", 1)[-1]
    return SUFFIX.sub("", name) if secret_id.startswith("arn:") else name


def main(root, out):
    hits = []
    for path in trail_files(root):
        with gzip.open(path, "rb") as f:
            doc = json.load(f)
        for r in doc.get("Records", []):
            if r.get("eventSource") != "secretsmanager.amazonaws.com":
                continue
            if r.get("eventName") != "GetSecretValue":
                continue
            params = r.get("requestParameters") or {}
            if canonical(params.get("secretId") or "") != NAME:
                continue
            ident = r.get("userIdentity") or {}
            hits.append((r.get("eventTime"), r.get("eventID"), ident.get("arn"), r.get("sourceIPAddress")))
    hits.sort(key=lambda h: (h[0] or "", h[1] or ""))
    with open(out, "w") as f:
        for h in hits:
            f.write("\t".join(str(x) for x in h) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

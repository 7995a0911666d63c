"""Reference: a Python timeline, one row per record, sorted by (time, eventID).

Usage: py_timeline.py DIR OUT. gzip + json, one process, rows kept in memory to sort them.
"""

import gzip
import json
import sys

from trail_files import trail_files


def main(root, out):
    rows = []
    for path in trail_files(root):
        with gzip.open(path, "rb") as f:
            doc = json.load(f)
        for r in doc.get("Records", []):
            ident = r.get("userIdentity") or {}
            actor = ident.get("arn") or ident.get("principalId") or ident.get("invokedBy") or ""
            rows.append((
                r.get("eventTime") or "",
                r.get("eventID") or "",
                r.get("eventSource") or "",
                r.get("eventName") or "",
                actor,
                r.get("sourceIPAddress") or "",
                r.get("awsRegion") or "",
                r.get("errorCode") or "success",
            ))
    rows.sort()
    with open(out, "w") as f:
        for row in rows:
            f.write("\t".join(row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""Reference: DuckDB's read_json over the trail files, at its best: automatic schema detection
(explicit `columns` are several times slower) and all cores.

Usage: duckdb_query.py honeytoken|timeline|all DIR OUT.

`all` is the reference for `trailcase timeline --all`: every record, whole, sorted by time and
eventID, written as JSON lines.

The detected schema depends on the data: on the full sets `Records` is a list of structs, on
small sets DuckDB may type it as JSON. The fields are read with struct access in the first case
and with JSON paths in the second, so that the script works on both.
"""

import sys

import duckdb

# The log files only: the digest files beside them (`_CloudTrail-Digest_`) hold no Records.
RECORDS = "(SELECT unnest(Records) AS r FROM read_json('{root}/**/*_CloudTrail_*.json.gz'))"

HONEYTOKEN = """
COPY (
  SELECT {time} AS t, {id} AS id, {arn} AS actor, {ip} AS ip
  FROM (SELECT r, {secret} AS s FROM {records} WHERE {source} = 'secretsmanager.amazonaws.com'
        AND {name} = 'GetSecretValue')
  WHERE regexp_replace(regexp_replace(coalesce(s, ''), '^.*:secret:', ''),
                       '-[A-Za-z0-9]{{6}}$', '') = 'Production_Database_Credentials'
  ORDER BY t, id
) TO '{out}' (FORMAT csv, DELIMITER '\t', HEADER false)
"""

TIMELINE = """
COPY (
  SELECT {time} AS t, {id} AS id, {source}, {name}, coalesce({arn}, {principal}) AS actor,
         {ip}, {region}, coalesce({error}, 'success') AS outcome
  FROM {records}
  ORDER BY t, id
) TO '{out}' (FORMAT csv, DELIMITER '\t', HEADER false)
"""

STRUCT_FIELDS = {
    "time": "r.eventTime::VARCHAR",
    "id": "r.eventID::VARCHAR",
    "source": "r.eventSource",
    "name": "r.eventName",
    "arn": "r.userIdentity.arn",
    "principal": "r.userIdentity.principalId",
    "ip": "r.sourceIPAddress",
    "region": "r.awsRegion",
    "error": "r.errorCode",
    "secret": "json_extract_string(to_json(r.requestParameters), '$.secretId')",
}

JSON_FIELDS = {
    "time": "r->>'eventTime'",
    "id": "r->>'eventID'",
    "source": "r->>'eventSource'",
    "name": "r->>'eventName'",
    "arn": "r->'userIdentity'->>'arn'",
    "principal": "r->'userIdentity'->>'principalId'",
    "ip": "r->>'sourceIPAddress'",
    "region": "r->>'awsRegion'",
    "error": "r->>'errorCode'",
    "secret": "r->'requestParameters'->>'secretId'",
}


ALL = """
COPY (
  SELECT r FROM {records}
  ORDER BY {time}, {id}
) TO '{out}' (FORMAT json)
"""


def main(mode, root, out):
    con = duckdb.connect()
    records = RECORDS.format(root=root)
    detected = con.sql(f"DESCRIBE SELECT * FROM {records}").fetchall()[0][1]
    fields = STRUCT_FIELDS if detected.startswith("STRUCT") else JSON_FIELDS
    query = {"honeytoken": HONEYTOKEN, "timeline": TIMELINE, "all": ALL}[mode]
    con.sql(query.format(records=records, out=out, **fields))


if __name__ == "__main__":
    main(*sys.argv[1:4])

"""Amazon Athena for trailcase's tests, executing SQL for real over what is in moto's S3.

moto's own Athena backend stores queries but never runs them (its results are canned), so this
module answers the query operations itself; trailcase_moto.py's dispatcher hands it every
awsJson1.1 request whose X-Amz-Target is `AmazonAthena.<operation>` for the operations in
`OPERATIONS` (the others, e.g. CreateWorkGroup, still go to moto, whose work groups are read here
for their result location).

- `CREATE EXTERNAL TABLE [IF NOT EXISTS] [db.]table (...) PARTITIONED BY (...) ... LOCATION '...'
  TBLPROPERTIES (...)` (Hive DDL, parsed by hand in `parse_ddl`: nested STRUCT/ARRAY/MAP types,
  partition projection of type enum, date, integer and injected, `storage.location.template`)
  registers the table in memory, keyed by db.table (db from the name, else the request's
  QueryExecutionContext.Database, else `default`). `CREATE DATABASE`, `DROP DATABASE` and
  `MSCK REPAIR TABLE` succeed doing nothing; `DROP TABLE [IF EXISTS]` forgets a table.
- A query (SELECT / WITH) is parsed with sqlglot as Trino SQL, rewritten a little (see
  `_rewrite`) and run by an in-process DuckDB over the rows of the tables it names. A table's rows
  are the CloudTrail records of the objects below its LOCATION (CloudTrailInputFormat: only
  `*.json.gz` keys under a `/CloudTrail/` folder, never `CloudTrail-Digest/`; other input formats:
  one JSON record per line), read as Athena's JsonSerDe reads them: column names match JSON keys
  case-insensitively, STRUCT fields likewise, a STRING column holding a JSON object or array holds
  its JSON text, booleans in STRING columns are 'true'/'false', missing is NULL; plus the
  partition columns (from the key, matched against the projection template) and `"$path"`.
  Partition pruning as Athena does it: the WHERE clause's top-level AND-conjuncts that name only
  partition columns are evaluated (by DuckDB) over the table's distinct partition values, only the
  chosen objects are read (parsed objects are cached by bucket, key and ETag), and
  DataScannedInBytes is the sum of their stored (compressed) sizes. Pruning applies per SELECT
  (CTEs and subqueries included) whose FROM is the table alone; a join reads every object.
  ResultConfiguration.OutputLocation is `<location>/<id>.csv` (`.txt` for DDL), as Athena answers.
  Known differences from Athena: types come from DuckDB (from_iso8601_timestamp gives
  `timestamp`, printed without a zone); functions sqlglot cannot map fail as DuckDB reports.
- GetTableMetadata (catalog AwsDataCatalog): a created table's columns and partition keys with
  their Hive types, and its TBLPROPERTIES as Parameters; a table never created is a
  MetadataException, as Athena answers.
- GetQueryExecution, BatchGetQueryExecution, ListQueryExecutions, GetQueryResults (header row
  first on the first page of a query's results, NULL as `{}`, MaxResults <= 1000, NextToken),
  StopQueryExecution. A query's results are also written as `<id>.csv` to its OutputLocation
  when that bucket exists in moto's S3.
- `GET /_trailcase/athena`: JSON {"queries": [{"id", "sql", "database", "workgroup", "state",
  "reason", "scanned_bytes", "objects", "rows", "polls", "stopped"}...] in submission order,
  "tables": {"db.table": {"location", "columns", "partitions", "template"}},
  "stopped": [ids StopQueryExecution was called for], "calls": {operation: count}}.
  `DELETE /_trailcase/athena` forgets queries, tables and counters.

Seed keys (the seed file is re-read on every request):
- `athena_running_polls`: n — the first n GetQueryExecution (or BatchGetQueryExecution) answers
  for each query say RUNNING, whatever its outcome; StopQueryExecution in that time cancels it.
- `athena_page_size`: n — at most n rows per GetQueryResults page (the header row counts).
- `athena_fail`: {"<substring of the SQL>": "<reason>"} — such a query ends FAILED with that
  StateChangeReason and AthenaError {ErrorCategory: 2, ErrorType: 1000, ErrorMessage: reason}.
- `athena_cancel`: ["<substring of the SQL>"] — such a query ends CANCELLED.
- `athena_throttle`: n — the first n StartQueryExecution calls since the server started (or
  since DELETE /_trailcase/athena) answer HTTP 400 TooManyRequestsException.
- `athena_deny`: ["StartQueryExecution", ...] — those operations answer AccessDeniedException.
"""

import csv
import datetime
import gzip
import io
import json
import os
import re
import tempfile
import threading
import time
import uuid

import duckdb
import sqlglot
from sqlglot import exp

from moto.core import DEFAULT_ACCOUNT_ID
from moto.s3.models import FakeKey, s3_backends

OPERATIONS = {
    "StartQueryExecution",
    "GetQueryExecution",
    "BatchGetQueryExecution",
    "GetTableMetadata",
    "ListQueryExecutions",
    "GetQueryResults",
    "StopQueryExecution",
}

_lock = threading.RLock()
_queries = {}  # id -> dict
_order = []  # ids in submission order
_tables = {}  # "db.table" -> Table
_stopped = []
_calls = {}
_object_cache = {}  # (bucket, key, etag, schema signature) -> [normalised JSON line]
_CACHE_MAX = 300_000


def _count(op):
    with _lock:
        n = _calls.get(op, 0)
        _calls[op] = n + 1
        return n


def reset():
    with _lock:
        _queries.clear()
        _order.clear()
        _tables.clear()
        _stopped.clear()
        _calls.clear()
        _object_cache.clear()


# ---------------------------------------------------------------------------------------------
# Hive DDL


class AthenaError(Exception):
    def __init__(self, message, category=2, type_=1000):
        super().__init__(message)
        self.message, self.category, self.type_ = message, category, type_


def _skip_string(text, i):
    """Index just past the quoted string starting at text[i] (quote doubling or backslash)."""
    q = text[i]
    i += 1
    while i < len(text):
        if text[i] == "\\" and q != "`":
            i += 2
            continue
        if text[i] == q:
            if i + 1 < len(text) and text[i + 1] == q:
                i += 2
                continue
            return i + 1
        i += 1
    raise AthenaError("SYNTAX_ERROR: unterminated string in DDL")


def _matching(text, i, open_="(", close=")"):
    """Index of the bracket closing the one at text[i]."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            i = _skip_string(text, i)
            continue
        if c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise AthenaError("SYNTAX_ERROR: unbalanced parentheses in DDL")


def _split_top(text, sep=","):
    """Split on `sep` outside brackets (), <> and strings."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c in "'\"`":
            i = _skip_string(text, i)
            continue
        if c in "(<":
            depth += 1
        elif c in ")>":
            depth -= 1
        elif c == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _unquote(name):
    name = name.strip()
    if len(name) >= 2 and name[0] in "`\"" and name[-1] == name[0]:
        name = name[1:-1]
    return name.lower()


_SCALARS = {
    "string": "VARCHAR",
    "varchar": "VARCHAR",
    "char": "VARCHAR",
    "binary": "VARCHAR",
    "int": "INTEGER",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "smallint": "SMALLINT",
    "tinyint": "TINYINT",
    "double": "DOUBLE",
    "float": "REAL",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}


def _parse_type(text):
    """Hive type text -> ("scalar", duckdb) | ("struct", [(name, t)]) | ("array", t) | ("map", k, v)."""
    text = text.strip()
    m = re.match(r"(?is)^(struct|array|map)\s*<(.*)>$", text)
    if m:
        kind, inner = m.group(1).lower(), m.group(2)
        if kind == "array":
            return ("array", _parse_type(inner))
        if kind == "map":
            k, v = _split_top(inner)
            return ("map", _parse_type(k), _parse_type(v))
        fields = []
        for f in _split_top(inner):
            fm = re.match(r"(?s)^\s*(`[^`]+`|\"[^\"]+\"|[\w$]+)\s*:?\s*(.+?)(\s+COMMENT\s+'.*')?$", f)
            if not fm:
                raise AthenaError(f"SYNTAX_ERROR: cannot read struct field '{f}'")
            fields.append((_unquote(fm.group(1)), _parse_type(fm.group(2))))
        return ("struct", fields)
    m = re.match(r"(?is)^(decimal)\s*(\(\s*\d+\s*(,\s*\d+\s*)?\))?$", text)
    if m:
        return ("scalar", "DECIMAL" + (m.group(2) or "(10,0)").replace(" ", ""))
    base = re.sub(r"\(.*\)$", "", text).strip().lower()
    if base not in _SCALARS:
        raise AthenaError(f"SYNTAX_ERROR: unknown type '{text}'")
    return ("scalar", _SCALARS[base])


def _hive_type(t):
    """The Hive type text Glue shows for a parsed type."""
    if t[0] == "scalar":
        return {"VARCHAR": "string", "BIGINT": "bigint", "INTEGER": "int", "DOUBLE": "double",
                "BOOLEAN": "boolean"}.get(t[1].upper(), t[1].lower())
    if t[0] == "array":
        return f"array<{_hive_type(t[1])}>"
    if t[0] == "map":
        return f"map<{_hive_type(t[1])},{_hive_type(t[2])}>"
    return "struct<" + ",".join(f"{n}:{_hive_type(ft)}" for n, ft in t[1]) + ">"


def _duck_type(t):
    if t[0] == "scalar":
        return t[1]
    if t[0] == "array":
        return _duck_type(t[1]) + "[]"
    if t[0] == "map":
        return f"MAP({_duck_type(t[1])}, {_duck_type(t[2])})"
    inner = ", ".join(f'"{n}" {_duck_type(ft)}' for n, ft in t[1])
    return f"STRUCT({inner})"


def _columns(block):
    out = []
    for c in _split_top(block):
        m = re.match(r"(?s)^(`[^`]+`|\"[^\"]+\"|[\w$]+)\s+(.+?)(\s+COMMENT\s+'(?:[^']|'')*')?$", c)
        if not m:
            raise AthenaError(f"SYNTAX_ERROR: cannot read column definition '{c}'")
        out.append((_unquote(m.group(1)), _parse_type(m.group(2))))
    return out


class Table:
    def __init__(self, db, name, columns, partitions, location, props, input_format):
        self.db, self.name = db, name
        self.columns, self.partitions = columns, partitions
        self.location = location
        self.props = props
        self.input_format = input_format or ""
        self.cloudtrail = "cloudtrail" in self.input_format.lower()
        self.signature = json.dumps(columns)
        names = [n for n, _ in columns] + [n for n, _ in partitions]
        if len(set(names)) != len(names):
            raise AthenaError("SYNTAX_ERROR: duplicate column name")
        self._template()

    @property
    def key(self):
        return f"{self.db}.{self.name}"

    def _template(self):
        """The regex an object's s3://bucket/key must match, and how partition values are read."""
        props = self.props
        parts = [n for n, _ in self.partitions]
        projected = props.get("projection.enabled", "false").lower() == "true"
        template = props.get("storage.location.template") if projected else None
        self.template = template
        self.enums = {}
        self.ranges = {}
        self._checked = {}
        self.listed = {}
        if template:
            pattern, pos = "", 0
            for m in re.finditer(r"\$\{([^}]+)\}", template):
                pattern += re.escape(template[pos : m.start()])
                name = m.group(1).lower()
                kind = props.get(f"projection.{name}.type", "injected").lower()
                if kind == "date":
                    fmt = props.get(f"projection.{name}.format", "yyyy/MM/dd")
                    group = _java_date_regex(fmt)
                    self.ranges[name] = _date_range(props.get(f"projection.{name}.range"), fmt)
                elif kind == "integer":
                    group = r"-?\d+"
                    rng = props.get(f"projection.{name}.range")
                    if rng and "," in rng:
                        lo, hi = (int(x) for x in rng.split(",", 1))
                        self.ranges[name] = (lambda v, lo=lo, hi=hi: lo <= int(v) <= hi)
                else:
                    group = r"[^/]+"
                    if kind == "enum":
                        values = props.get(f"projection.{name}.values", "")
                        self.enums[name] = {v.strip() for v in values.split(",") if v.strip()}
                pattern += f"(?P<{_group(name)}>{group})"
                pos = m.end()
            pattern += re.escape(template[pos:].rstrip("/"))
            self.regex = re.compile("^" + pattern + "(/.*)?$")
            self.hive = False
            prefix = template.split("${", 1)[0]
        else:
            loc = self.location.rstrip("/")
            self.regex = re.compile("^" + re.escape(loc) + "/.*$")
            self.hive = True  # partition values from name=value segments, as MSCK REPAIR finds them
            prefix = loc + "/"
        m = re.match(r"^s3a?n?://([^/]+)/?(.*)$", prefix)
        if not m:
            raise AthenaError(f"SYNTAX_ERROR: not an S3 location: '{self.location}'")
        self.bucket, self.prefix = m.group(1), m.group(2)
        loc = re.match(r"^s3a?n?://([^/]+)/?(.*)$", self.location or "")
        if not loc or loc.group(1) != self.bucket:
            raise AthenaError(f"SYNTAX_ERROR: not an S3 location: '{self.location}'")
        self.location_prefix = loc.group(2)
        self.part_names = parts
        self.groups = {p: _group(p) for p in parts}

    def partition_values(self, uri):
        """Partition values of an object, or None when the object is not in the table."""
        m = self.regex.match(uri)
        if not m:
            return None
        if self.hive:
            segs = dict(
                s.split("=", 1) for s in uri.split("/") if "=" in s
            )
            return tuple(segs.get(p) for p in self.part_names)
        values = []
        groups = m.groupdict()
        for p in self.part_names:
            v = groups.get(self.groups[p])
            if v is not None:
                if p in self.enums and v not in self.enums[p]:
                    return None
                check = self.ranges.get(p)
                if check:
                    # Memoised: thousands of objects share a day.
                    ok = self._checked.get((p, v))
                    if ok is None:
                        ok = self._checked[(p, v)] = bool(check(v))
                    if not ok:
                        return None
            values.append(v)
        return tuple(values)

    def describe(self):
        return {
            "location": self.location,
            "columns": [n for n, _ in self.columns],
            "partitions": self.part_names,
            "template": self.template,
        }


_GROUPS = {}


def _group(name):
    g = _GROUPS.get(name)
    if g is None:
        g = _GROUPS[name] = "p_" + re.sub(r"\W", "_", name)
    return g


_JAVA_DATE = [
    ("yyyy", r"\d{4}", "%Y"),
    ("MM", r"\d{2}", "%m"),
    ("dd", r"\d{2}", "%d"),
    ("HH", r"\d{2}", "%H"),
    ("mm", r"\d{2}", "%M"),
    ("ss", r"\d{2}", "%S"),
]


def _java_date_regex(fmt):
    out, i = "", 0
    while i < len(fmt):
        for token, rx, _ in _JAVA_DATE:
            if fmt.startswith(token, i):
                out += rx
                i += len(token)
                break
        else:
            out += re.escape(fmt[i])
            i += 1
    return out


def _java_to_strftime(fmt):
    for token, _, st in _JAVA_DATE:
        fmt = fmt.replace(token, st)
    return fmt


def _date_range(rng, fmt):
    """A check for projection.<name>.range ('2020/01/01,NOW', NOW-3DAYS...); None if unreadable."""
    if not rng or "," not in rng:
        return None
    st = _java_to_strftime(fmt)

    def bound(text):
        text = text.strip()
        m = re.match(r"(?i)^NOW\s*(?:([+-])\s*(\d+)\s*(YEARS?|MONTHS?|WEEKS?|DAYS?|HOURS?|MINUTES?|SECONDS?))?$", text)
        if m:
            t = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
            if m.group(1):
                unit = m.group(3).upper().rstrip("S")
                n = int(m.group(2)) * (1 if m.group(1) == "+" else -1)
                secs = {"YEAR": 366 * 86400, "MONTH": 31 * 86400, "WEEK": 7 * 86400, "DAY": 86400,
                        "HOUR": 3600, "MINUTE": 60, "SECOND": 1}[unit]
                t += datetime.timedelta(seconds=n * secs)
            return t, True
        return datetime.datetime.strptime(text, st), False

    try:
        (lo, _), (hi, hi_now) = (bound(x) for x in rng.split(",", 1))
    except ValueError:
        return None

    def check(value):
        try:
            t = datetime.datetime.strptime(value, st)
        except ValueError:
            return False
        # NOW is at the end of the current period (today's partition exists).
        return lo <= t and (t <= hi if not hi_now else t <= hi + datetime.timedelta(days=1))

    return check


def parse_ddl(sql, default_db):
    m = re.match(
        r"(?is)^\s*CREATE\s+EXTERNAL\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?"
        r"((?:`[^`]+`|\"[^\"]+\"|[\w$]+)(?:\s*\.\s*(?:`[^`]+`|\"[^\"]+\"|[\w$]+))*)\s*\(",
        sql,
    )
    if not m:
        raise AthenaError("SYNTAX_ERROR: line 1:1: only CREATE EXTERNAL TABLE ... is understood here")
    if_not_exists = bool(m.group(1))
    names = [_unquote(n) for n in re.findall(r"`[^`]+`|\"[^\"]+\"|[\w$]+", m.group(2))]
    if len(names) > 3:
        raise AthenaError(f"SYNTAX_ERROR: bad table name '{m.group(2)}'")
    db, name = (names[-2] if len(names) >= 2 else default_db), names[-1]
    start = m.end() - 1
    end = _matching(sql, start)
    columns = _columns(sql[start + 1 : end])
    rest = sql[end + 1 :]
    # Blank out string literals' content where keywords are looked for, to not match inside them.
    partitions = []
    pm = re.search(r"(?is)\bPARTITIONED\s+BY\s*\(", _blank_strings(rest))
    if pm:
        pend = _matching(rest, pm.end() - 1)
        partitions = _columns(rest[pm.end() : pend])
    blank = _blank_strings(rest)
    loc = re.search(r"(?is)\bLOCATION\s+'", blank)
    location = None
    if loc:
        location = rest[loc.end() - 1 : _skip_string(rest, loc.end() - 1)][1:-1]
    if not location:
        raise AthenaError("SYNTAX_ERROR: an external table needs a LOCATION")
    inp = re.search(r"(?is)\bINPUTFORMAT\s+'", blank)
    input_format = None
    if inp:
        input_format = rest[inp.end() - 1 : _skip_string(rest, inp.end() - 1)][1:-1]
    props = {}
    tp = re.search(r"(?is)\bTBLPROPERTIES\s*\(", blank)
    if tp:
        tend = _matching(rest, tp.end() - 1)
        for item in _split_top(rest[tp.end() : tend]):
            km = re.match(r"(?s)^'((?:[^']|'')*)'\s*=\s*'((?:[^']|'')*)'$", item)
            if not km:
                raise AthenaError(f"SYNTAX_ERROR: cannot read table property {item}")
            props[km.group(1).replace("''", "'").lower()] = km.group(2).replace("''", "'")
    table = Table(db, name, columns, partitions, location, props, input_format)
    return table, if_not_exists


def _blank_strings(text):
    out, i = [], 0
    while i < len(text):
        if text[i] in "'\"`":
            j = _skip_string(text, i)
            out.append(text[i] + " " * (j - i - 2) + text[j - 1])
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Reading objects as the JsonSerDe does


def _lower_keys(d):
    out = {}
    for k, v in d.items():
        out.setdefault(k.lower(), v)
    return out


def _serde(value, t):
    if value is None:
        return None
    kind = t[0]
    if kind == "scalar":
        duck = t[1]
        if duck == "VARCHAR":
            if isinstance(value, bool):
                return "true" if value else "false"
            if isinstance(value, (dict, list)):
                return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            return str(value)
        if isinstance(value, (dict, list)):
            return None
        if duck == "BOOLEAN":
            if isinstance(value, str):
                return {"true": True, "false": False}.get(value.lower())
            return bool(value)
        if duck in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT"):
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
        if duck in ("DOUBLE", "REAL") or duck.startswith("DECIMAL"):
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
        return value if isinstance(value, str) else str(value)
    if kind == "array":
        if not isinstance(value, list):
            return None
        return [_serde(v, t[1]) for v in value]
    if kind == "map":
        if not isinstance(value, dict):
            return None
        return {str(k): _serde(v, t[2]) for k, v in value.items()}
    if not isinstance(value, dict):
        return None
    low = _lower_keys(value)
    return {n: _serde(low.get(n), ft) for n, ft in t[1]}


def _records(table, body):
    if table.cloudtrail:
        try:
            data = json.loads(gzip.decompress(body))
        except (OSError, ValueError, EOFError):
            return []  # Athena's CloudTrailInputFormat skips what it cannot read
        recs = data.get("Records") if isinstance(data, dict) else None
        return [r for r in recs or [] if isinstance(r, dict)]
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    out = []
    for line in body.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if isinstance(r, dict):
                out.append(r)
    return out


def _object_lines(table, bucket, key, obj):
    """JSON lines (without partitions and $path) for one object, cached by bucket/key/ETag."""
    cache_key = (bucket, key, obj.etag, table.signature, table.cloudtrail)
    lines = _object_cache.get(cache_key)
    if lines is None:
        lines = []
        for r in _records(table, obj.value):
            low = _lower_keys(r)
            row = {n: _serde(low.get(n), t) for n, t in table.columns}
            lines.append(json.dumps(row, separators=(",", ":"), ensure_ascii=False))
        with _lock:
            if len(_object_cache) >= _CACHE_MAX:
                _object_cache.clear()
            _object_cache[cache_key] = lines
    return lines


def _listing(account, table):
    """[(key, FakeKey, partition values)] of the objects that make up the table."""
    backend = s3_backends[account]["aws"]
    bucket = backend.buckets.get(table.bucket)
    if bucket is None:
        return []
    out = []
    base = f"s3://{table.bucket}/"
    known = table.listed  # key -> partition values, or None when the key is not in the table
    # A plain-dict copy of moto's _VersionedKeyStore (key -> [versions], latest last), iterated
    # without building a list of tuples: this loop runs over every key of the bucket on every
    # query, and a list of 50k tuples costs a garbage collection over all of moto's objects.
    for key, versions in dict.copy(bucket.keys).items():
        values = known.get(key, False)
        if values is False:
            values = None
            if key.startswith(table.prefix) and key.startswith(table.location_prefix) and not (
                table.cloudtrail
                and (
                    "CloudTrail-Digest/" in key
                    or "/CloudTrail/" not in "/" + key
                    or not key.endswith(".json.gz")
                )
            ):
                values = table.partition_values(base + key)
            known[key] = values
        if values is None or not versions:
            continue
        obj = versions[-1]
        if not isinstance(obj, FakeKey):  # a delete marker
            continue
        out.append((key, obj, values))
    return out


# ---------------------------------------------------------------------------------------------
# Queries


def _table_ref(node, default_db):
    db = node.args.get("db")
    db = db.name.lower() if db is not None else default_db
    return f"{db}.{node.name.lower()}"


def _cte_names(tree):
    return {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}


def _conjuncts(where):
    if where is None:
        return []
    node = where.this if isinstance(where, exp.Where) else where
    out = []

    def walk(n):
        while isinstance(n, exp.Paren):
            n = n.this
        if isinstance(n, exp.And):
            walk(n.left)
            walk(n.right)
        else:
            out.append(n)

    walk(node)
    return out


def _pruning_conjuncts(node, table):
    """The WHERE conjuncts of the SELECT reading `node` (only) that name only partition columns;
    None when that SELECT reads more than this one table (then every object is read)."""
    select = node.parent_select
    if select is None:
        return None
    frm = select.args.get("from") or select.args.get("from_")
    if frm is None or frm.this is not node or select.args.get("joins"):
        return None
    qualifiers = {node.name.lower(), node.alias_or_name.lower()}
    parts = set(table.part_names)
    out = []
    for c in _conjuncts(select.args.get("where")):
        if c.find(exp.Select, exp.Subquery, exp.AggFunc, exp.Lambda, exp.Window):
            continue
        cols = list(c.find_all(exp.Column))
        if not cols:
            continue
        ok = all(
            col.name.lower() in parts
            and (not col.table or col.table.lower() in qualifiers)
            and not col.args.get("db")
            for col in cols
        )
        if ok:
            c = c.copy()
            for col in c.find_all(exp.Column):
                col.set("table", None)
            out.append(c)
    return out


def _choose_objects(con, table, listing, conjunct_sets):
    """Indices into listing of the objects the query reads."""
    if any(cs is None or not cs for cs in conjunct_sets):
        return list(range(len(listing)))
    distinct = {}
    for i, (_, _, values) in enumerate(listing):
        distinct.setdefault(values, []).append(i)
    if not distinct:
        return []
    tuples = list(distinct)
    cols = ", ".join(f'"{p}" VARCHAR' for p in table.part_names)
    con.execute(f"CREATE TEMP TABLE __partitions (__pid INTEGER, {cols})")
    with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False, encoding="utf-8") as f:
        for pid, values in enumerate(tuples):
            row = {"__pid": pid}
            row.update(zip(table.part_names, values))
            f.write(json.dumps(row) + "\n")
        path = f.name
    try:
        spec = {"__pid": "INTEGER", **{p: "VARCHAR" for p in table.part_names}}
        con.execute(
            f"INSERT INTO __partitions SELECT * FROM read_json('{path}', "
            f"format='newline_delimited', columns={_duck_struct_literal(spec)})"
        )
    finally:
        os.unlink(path)
    chosen = set()
    try:
        for cs in conjunct_sets:
            cond = " AND ".join(
                f"({_to_duckdb(c)})" for c in cs
            )
            for (pid,) in con.execute(f"SELECT __pid FROM __partitions WHERE {cond}").fetchall():
                chosen.add(pid)
    except duckdb.Error:
        return list(range(len(listing)))  # let the query itself report what is wrong
    finally:
        con.execute("DROP TABLE __partitions")
    return sorted(i for pid in chosen for i in distinct[tuples[pid]])


def _duck_struct_literal(spec):
    return "{" + ", ".join(f"'{k}': '{v.replace(chr(39), chr(39) * 2)}'" for k, v in spec.items()) + "}"


def _sql_str(s):
    return "'" + s.replace("'", "''") + "'"


def _to_duckdb(tree):
    return _rewrite(tree.copy()).sql(dialect="duckdb")


def _rewrite(tree):
    """Fix-ups where sqlglot's Trino -> DuckDB output does not mean what Athena means."""
    for node in list(tree.find_all(exp.JSONExtractScalar)):
        # sqlglot writes `x ->> path`, which for an object or array gives its JSON text and fails
        # on text that is not JSON; Trino's json_extract_scalar gives NULL for both.
        path = node.expression
        node.replace(exp.Anonymous(this="__json_extract_scalar", expressions=[node.this, path]))
    return tree


_MACROS = [
    "CREATE MACRO __json_extract_scalar(j, p) AS CASE WHEN NOT coalesce(json_valid(j), false) "
    "THEN NULL WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE j ->> p END",
]


def _athena_type(t):
    try:
        tid = t.id
    except AttributeError:
        return "varchar"
    simple = {
        "varchar": "varchar", "bigint": "bigint", "integer": "integer", "smallint": "smallint",
        "tinyint": "tinyint", "hugeint": "bigint", "ubigint": "bigint", "uinteger": "bigint",
        "double": "double", "float": "real", "boolean": "boolean", "date": "date",
        "timestamp": "timestamp", "timestamp with time zone": "timestamp with time zone",
        "decimal": "decimal", "json": "json", "blob": "varbinary", "time": "time",
        "interval": "interval day to second", "uuid": "uuid", "null": "unknown",
    }
    if tid in simple:
        return simple[tid]
    try:
        if tid == "list" or tid == "array":
            return f"array({_athena_type(t.child)})"
        if tid == "struct":
            return "row(" + ", ".join(f"{n} {_athena_type(c)}" for n, c in t.children) + ")"
        if tid == "map":
            return f"map({_athena_type(t.key)}, {_athena_type(t.value)})"
    except (AttributeError, ValueError, TypeError):
        pass
    return str(t).lower()


def _text(v):
    """A value as Athena prints it in GetQueryResults' VarCharValue."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.") + f"{v.microsecond // 1000:03d}"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}={_text(x) if x is not None else 'null'}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_text(x) if x is not None else "null" for x in v) + "]"
    return str(v)


def _engine_error(e):
    msg = str(e).strip()
    first = msg.splitlines()[0] if msg else type(e).__name__
    m = re.search(r'Referenced column "([^"]+)" not found', first)
    if m:
        return f"COLUMN_NOT_FOUND: line 1:1: Column '{m.group(1)}' cannot be resolved"
    m = re.search(r'Could not find key "([^"]+)" in struct', first)
    if m:
        return f"COLUMN_NOT_FOUND: line 1:1: Column '{m.group(1)}' cannot be resolved"
    m = re.search(r"Table with name (\S+) does not exist", first)
    if m:
        return f"TABLE_NOT_FOUND: line 1:1: Table '{m.group(1)}' does not exist"
    if isinstance(e, duckdb.ParserException):
        return f"SYNTAX_ERROR: line 1:1: {first}"
    if "Function" in first and ("does not exist" in first or "No function matches" in first):
        return f"FUNCTION_NOT_FOUND: line 1:1: {first}"
    if isinstance(e, (duckdb.BinderException, duckdb.ConversionException)):
        return f"TYPE_MISMATCH: line 1:1: {first}"
    return f"GENERIC_INTERNAL_ERROR: {first}"


def run_select(sql, default_db, account):
    """(column names, athena types, rows, scanned bytes, objects read) of a query."""
    try:
        tree = sqlglot.parse_one(sql, read="trino")
    except sqlglot.errors.ParseError as e:
        err = e.errors[0] if getattr(e, "errors", None) else {}
        where = f"line {err.get('line', 1)}:{err.get('col', 1)}: "
        raise AthenaError(f"SYNTAX_ERROR: {where}{err.get('description', str(e))}")
    except sqlglot.errors.SqlglotError as e:
        raise AthenaError(f"SYNTAX_ERROR: line 1:1: {e}")
    if tree is None:
        raise AthenaError("SYNTAX_ERROR: line 1:1: empty statement")
    ctes = _cte_names(tree)
    refs = {}
    for node in tree.find_all(exp.Table):
        if not node.name or (node.name.lower() in ctes and node.args.get("db") is None):
            continue
        key = _table_ref(node, default_db)
        catalog = node.args.get("catalog")
        if catalog is not None and catalog.name.lower() != "awsdatacatalog":
            raise AthenaError(f"CATALOG_NOT_FOUND: line 1:1: Catalog '{catalog.name}' does not exist")
        with _lock:
            table = _tables.get(key)
        if table is None:
            raise AthenaError(f"TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog.{key}' does not exist")
        refs.setdefault(key, (table, []))[1].append(node)
    # Athena names unnamed result columns _col0, _col1, ...
    if isinstance(tree, exp.Select):
        for i, e in enumerate(list(tree.expressions)):
            if not isinstance(e, (exp.Alias, exp.Column, exp.Star)):
                e.replace(exp.alias_(e.copy(), f"_col{i}", quoted=True))
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET threads=1")
        for m in _MACROS:
            con.execute(m)
        scanned, objects = 0, 0
        for key, (table, nodes) in refs.items():
            listing = _listing(account, table)
            chosen = _choose_objects(con, table, listing, [_pruning_conjuncts(n, table) for n in nodes])
            con.execute(f'CREATE SCHEMA IF NOT EXISTS "{table.db}"')
            spec = {n: _duck_type(t) for n, t in table.columns}
            spec.update({p: "VARCHAR" for p in table.part_names})
            spec["$path"] = "VARCHAR"
            cols = ", ".join(f'"{n}" {t}' for n, t in spec.items())
            con.execute(f'CREATE TABLE "{table.db}"."{table.name}" ({cols})')
            lines = 0
            with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False, encoding="utf-8") as f:
                for i in chosen:
                    okey, obj, values = listing[i]
                    scanned += obj.size
                    objects += 1
                    extra = {p: v for p, v in zip(table.part_names, values)}
                    extra["$path"] = f"s3://{table.bucket}/{okey}"
                    suffix = "," + json.dumps(extra, ensure_ascii=False)[1:]
                    for line in _object_lines(table, table.bucket, okey, obj):
                        f.write(line[:-1] + suffix + "\n")
                        lines += 1
                path = f.name
            try:
                if lines:
                    con.execute(
                        f'INSERT INTO "{table.db}"."{table.name}" SELECT * FROM read_json('
                        f"{_sql_str(path)}, format='newline_delimited', "
                        f"columns={_duck_struct_literal(spec)}, maximum_object_size=268435456)"
                    )
            finally:
                os.unlink(path)
            for node in nodes:
                node.set("catalog", None)
                node.set("db", exp.to_identifier(table.db, quoted=True))
        duck_sql = _rewrite(tree).sql(dialect="duckdb")
        try:
            rel = con.sql(duck_sql)
            if rel is None:
                return [], [], [], scanned, objects
            names = [c.lower() for c in rel.columns]
            types = [_athena_type(t) for t in rel.types]
            rows = rel.fetchall()
        except duckdb.Error as e:
            raise AthenaError(_engine_error(e))
        return names, types, rows, scanned, objects
    finally:
        con.close()


def _statement(sql):
    s = re.sub(r"(?s)^(\s|--[^\n]*\n|/\*.*?\*/)*", "", sql)
    word = " ".join(s.split()[:3]).upper()
    if word.startswith(("SELECT", "WITH", "VALUES", "(")):
        return "DML", "SELECT"
    if word.startswith("INSERT"):
        return "DML", "INSERT"
    if re.match(r"CREATE (EXTERNAL )?TABLE", word):
        return "DDL", "CREATE_TABLE"
    if re.match(r"CREATE (DATABASE|SCHEMA)", word):
        return "DDL", "CREATE_DATABASE"
    if re.match(r"DROP TABLE", word):
        return "DDL", "DROP_TABLE"
    if re.match(r"DROP (DATABASE|SCHEMA)", word):
        return "DDL", "DROP_DATABASE"
    if word.startswith("MSCK"):
        return "DDL", "MSCK_REPAIR_TABLE"
    if word.startswith(("SHOW", "DESCRIBE", "EXPLAIN")):
        return "UTILITY", word.split()[0]
    return "DDL", "UNKNOWN"


def _execute(q, account):
    """Runs a query; sets its outcome (state, reason, results, statistics)."""
    sql, db = q["sql"], q["database"]
    kind, sub = q["statement_type"], q["sub_type"]
    started = time.time()
    try:
        if sub == "CREATE_TABLE":
            table, if_not_exists = parse_ddl(sql, db)
            with _lock:
                if table.key in _tables and not if_not_exists:
                    raise AthenaError(f"AlreadyExistsException: Table {table.name} already exists", 2, 1000)
                if table.key not in _tables:
                    _tables[table.key] = table
            q["columns"], q["rows"] = [], []
        elif sub in ("CREATE_DATABASE", "DROP_DATABASE", "MSCK_REPAIR_TABLE"):
            q["columns"], q["rows"] = [], []
        elif sub == "DROP_TABLE":
            m = re.match(r"(?is)^\s*DROP\s+TABLE\s+(IF\s+EXISTS\s+)?(\S+)\s*;?\s*$", sql)
            if not m:
                raise AthenaError("SYNTAX_ERROR: line 1:1: cannot read DROP TABLE")
            names = [_unquote(n) for n in m.group(2).split(".")]
            key = f"{names[-2] if len(names) > 1 else db}.{names[-1]}"
            with _lock:
                if key not in _tables and not m.group(1):
                    raise AthenaError(f"SemanticException: Table not found {key}")
                _tables.pop(key, None)
            q["columns"], q["rows"] = [], []
        elif kind == "DML" and sub == "SELECT":
            names, types, rows, scanned, objects = run_select(sql, db, account)
            q["columns"] = list(zip(names, types))
            q["rows"] = rows
            q["scanned"], q["objects"] = scanned, objects
        else:
            raise AthenaError("SYNTAX_ERROR: line 1:1: statement not supported by this emulator")
        q["final"], q["reason"] = "SUCCEEDED", None
    except AthenaError as e:
        q["final"], q["reason"], q["error"] = "FAILED", e.message, (e.category, e.type_)
    except Exception as e:  # never an HTTP 500: an engine failure is the query's failure
        q["final"], q["reason"], q["error"] = "FAILED", f"GENERIC_INTERNAL_ERROR: {e}", (1, 1000)
    q["engine_ms"] = int((time.time() - started) * 1000)


def _write_csv(q, account):
    if q["final"] != "SUCCEEDED" or q["sub_type"] != "SELECT":
        return
    m = re.match(r"^s3://([^/]+)/(.*)$", q["output_file"])
    if not m:
        return
    backend = s3_backends[account]["aws"]
    if m.group(1) not in backend.buckets:
        return
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow([n for n, _ in q["columns"]])
    for r in q["rows"]:
        w.writerow(["" if v is None else _text(v) for v in r])
    try:
        backend.put_object(m.group(1), m.group(2), buf.getvalue().encode("utf-8"))
    except Exception:  # writing results is a courtesy; the query's outcome stands
        pass


# ---------------------------------------------------------------------------------------------
# The API


class ApiError(Exception):
    def __init__(self, type_, message, **extra):
        super().__init__(message)
        self.body = {"__type": type_, "Message": message, **extra}


def _visible_state(q):
    if q["stopped"]:
        return "CANCELLED"
    if q["running_polls"] > 0:
        return "RUNNING"
    return q["final"]


def _poll(q):
    with _lock:
        state = _visible_state(q)
        if state == "RUNNING":
            q["running_polls"] -= 1
        q["polls"] += 1
        return state


def _output_location(request, workgroup, account, region):
    loc = (request.get("ResultConfiguration") or {}).get("OutputLocation")
    if not loc:
        try:
            from moto.athena.models import athena_backends

            wg = athena_backends[account][region].work_groups.get(workgroup)
            conf = (wg.configuration or {}).get("ResultConfiguration") or {} if wg else {}
            loc = conf.get("OutputLocation")
        except Exception:
            loc = None
    if not loc:
        loc = f"s3://aws-athena-query-results-{account}-{region}/"
    return loc


def _describe(q):
    state = _visible_state(q)
    status = {"State": state, "SubmissionDateTime": q["submitted"]}
    if state in ("SUCCEEDED", "FAILED", "CANCELLED"):
        status["CompletionDateTime"] = q["completed"] or q["submitted"]
        if state == "FAILED":
            status["StateChangeReason"] = q["reason"]
            cat, typ = q.get("error") or (2, 1000)
            status["AthenaError"] = {
                "ErrorCategory": cat,
                "ErrorType": typ,
                "Retryable": False,
                "ErrorMessage": q["reason"],
            }
        elif state == "CANCELLED":
            status["StateChangeReason"] = q["cancel_reason"] or "Query cancelled by user"
    done = state in ("SUCCEEDED", "FAILED", "CANCELLED")
    elapsed = int(((q["completed"] or time.time()) - q["submitted"]) * 1000)
    stats = {
        "EngineExecutionTimeInMillis": q["engine_ms"] if done else 0,
        "DataScannedInBytes": q["scanned"] if done else 0,
        "TotalExecutionTimeInMillis": max(elapsed, q["engine_ms"]) if done else elapsed,
        "QueryQueueTimeInMillis": 0,
        "ServicePreProcessingTimeInMillis": 0,
        "QueryPlanningTimeInMillis": 0,
        "ServiceProcessingTimeInMillis": 0,
    }
    out = {
        "QueryExecutionId": q["id"],
        "Query": q["sql"],
        "StatementType": q["statement_type"],
        "SubstatementType": q["sub_type"],
        "ResultConfiguration": {"OutputLocation": q["output_file"]},
        "ResultReuseConfiguration": {"ResultReuseByAgeConfiguration": {"Enabled": False}},
        "QueryExecutionContext": q["context"],
        "Status": status,
        "Statistics": stats,
        "WorkGroup": q["workgroup"],
        "EngineVersion": {
            "SelectedEngineVersion": "AUTO",
            "EffectiveEngineVersion": "Athena engine version 3",
        },
    }
    return out


def _mark_complete(q):
    with _lock:
        if _visible_state(q) != "RUNNING" and q["completed"] is None:
            q["completed"] = time.time()


def _get_query(request):
    qid = request.get("QueryExecutionId")
    with _lock:
        q = _queries.get(qid)
    if q is None:
        raise ApiError("InvalidRequestException", f"QueryExecution {qid} was not found",
                       AthenaErrorCode="INVALID_INPUT")
    return q


def handle(operation, request, account, region, seed):
    """(status, body) for an Athena operation."""
    _count(operation)
    if operation in seed.get("athena_deny", []):
        raise ApiError(
            "AccessDeniedException",
            f"User: arn:aws:iam::{account}:user/trailcase-test is not authorized to perform: "
            f"athena:{operation} on resource: arn:aws:athena:{region}:{account}:workgroup/"
            f"{request.get('WorkGroup', 'primary')} because no identity-based policy allows "
            f"the athena:{operation} action",
        )
    if operation == "StartQueryExecution":
        if _calls.get("__throttle", 0) < int(seed.get("athena_throttle", 0)):
            _count("__throttle")
            raise ApiError("TooManyRequestsException", "Rate exceeded",
                           Reason="CONCURRENT_QUERY_LIMIT_EXCEEDED")
        _count("__throttle")
        sql = request.get("QueryString") or ""
        if not sql.strip():
            raise ApiError("InvalidRequestException", "QueryString must not be empty",
                           AthenaErrorCode="INVALID_INPUT")
        workgroup = request.get("WorkGroup") or "primary"
        if workgroup != "primary":
            try:
                from moto.athena.models import athena_backends

                if workgroup not in athena_backends[account][region].work_groups:
                    raise ApiError("InvalidRequestException", f"WorkGroup {workgroup} is not found.",
                                   AthenaErrorCode="INVALID_INPUT")
            except ApiError:
                raise
            except Exception:
                pass
        context = request.get("QueryExecutionContext") or {}
        location = _output_location(request, workgroup, account, region)
        qid = str(uuid.uuid4())
        kind, sub = _statement(sql)
        ext = "csv" if kind == "DML" else "txt"
        q = {
            "id": qid,
            "sql": sql,
            "database": (context.get("Database") or "default").lower(),
            "context": context,
            "workgroup": workgroup,
            "statement_type": kind,
            "sub_type": sub,
            "output_file": location.rstrip("/") + f"/{qid}.{ext}",
            "submitted": time.time(),
            "completed": None,
            "final": "RUNNING",
            "reason": None,
            "cancel_reason": None,
            "scanned": 0,
            "objects": 0,
            "engine_ms": 0,
            "columns": [],
            "rows": [],
            "running_polls": int(seed.get("athena_running_polls", 0)),
            "polls": 0,
            "stopped": False,
        }
        _execute(q, account)
        for needle, reason in (seed.get("athena_fail") or {}).items():
            if needle in sql:
                q["final"], q["reason"], q["error"] = "FAILED", reason, (2, 1000)
                q["rows"], q["columns"] = [], []
                break
        else:
            if any(needle in sql for needle in seed.get("athena_cancel") or []):
                q["final"], q["rows"], q["columns"] = "CANCELLED", [], []
                q["cancel_reason"] = "Query was cancelled"
        _write_csv(q, account)
        with _lock:
            _queries[qid] = q
            _order.append(qid)
        _mark_complete(q)
        return {"QueryExecutionId": qid}
    if operation == "GetTableMetadata":
        # As Athena answers from the Glue Data Catalog: the table the DDL created, its columns,
        # partition keys and TBLPROPERTIES (Parameters).
        catalog = request.get("CatalogName") or ""
        if catalog.lower() != "awsdatacatalog":
            raise ApiError("MetadataException", f"Catalog {catalog} does not exist")
        key = f"{(request.get('DatabaseName') or '').lower()}.{(request.get('TableName') or '').lower()}"
        table = _tables.get(key)
        if table is None:
            raise ApiError("MetadataException", f"Table {key} does not exist (EntityNotFoundException)")

        def col(name, t):
            return {"Name": name, "Type": _hive_type(t)}

        params = dict(table.props)
        params["EXTERNAL"] = "TRUE"
        params["inputformat"] = table.input_format
        params["location"] = table.location
        return {
            "TableMetadata": {
                "Name": table.name,
                "TableType": "EXTERNAL_TABLE",
                "Columns": [col(n, t) for n, t in table.columns],
                "PartitionKeys": [col(n, t) for n, t in table.partitions],
                "Parameters": params,
            }
        }
    if operation == "GetQueryExecution":
        q = _get_query(request)
        _poll(q)
        _mark_complete(q)
        return {"QueryExecution": _describe(q)}
    if operation == "BatchGetQueryExecution":
        found, missing = [], []
        for qid in request.get("QueryExecutionIds") or []:
            with _lock:
                q = _queries.get(qid)
            if q is None:
                missing.append({"QueryExecutionId": qid, "ErrorCode": "INVALID_INPUT",
                                "ErrorMessage": f"QueryExecution {qid} was not found"})
                continue
            _poll(q)
            _mark_complete(q)
            found.append(_describe(q))
        return {"QueryExecutions": found, "UnprocessedQueryExecutionIds": missing}
    if operation == "ListQueryExecutions":
        wg = request.get("WorkGroup") or "primary"
        with _lock:
            ids = [i for i in reversed(_order) if _queries[i]["workgroup"] == wg]
        size = min(int(request.get("MaxResults") or 50), 50)
        offset = int(request.get("NextToken") or 0)
        out = {"QueryExecutionIds": ids[offset : offset + size]}
        if offset + size < len(ids):
            out["NextToken"] = str(offset + size)
        return out
    if operation == "StopQueryExecution":
        q = _get_query(request)
        with _lock:
            _stopped.append(q["id"])
            if _visible_state(q) in ("QUEUED", "RUNNING"):
                q["stopped"] = True
                q["cancel_reason"] = "Query cancelled by user"
                q["completed"] = time.time()
        return {}
    if operation == "GetQueryResults":
        q = _get_query(request)
        with _lock:
            state = _visible_state(q)
        if state != "SUCCEEDED":
            raise ApiError("InvalidRequestException",
                           f"Query has not yet finished. Current state: {state}",
                           AthenaErrorCode="INVALID_INPUT")
        max_results = int(request.get("MaxResults") or 1000)
        if max_results < 1 or max_results > 1000:
            raise ApiError("InvalidRequestException",
                           "1 validation error detected: Value at 'maxResults' failed to satisfy "
                           "constraint: Member must have value less than or equal to 1000",
                           AthenaErrorCode="INVALID_INPUT")
        page = min(max_results, int(seed.get("athena_page_size") or 1000))
        select = q["sub_type"] == "SELECT"
        all_rows = []
        if select:
            all_rows.append({"Data": [{"VarCharValue": n} for n, _ in q["columns"]]})
        for r in q["rows"]:
            all_rows.append({"Data": [{} if v is None else {"VarCharValue": _text(v)} for v in r]})
        token = request.get("NextToken")
        try:
            offset = int(token) if token else 0
        except ValueError:
            raise ApiError("InvalidRequestException", "Invalid NextToken",
                           AthenaErrorCode="INVALID_INPUT")
        rows = all_rows[offset : offset + page]
        out = {
            "UpdateCount": 0,
            "ResultSet": {
                "Rows": rows,
                "ResultSetMetadata": {
                    "ColumnInfo": [
                        {
                            "CatalogName": "hive",
                            "SchemaName": "",
                            "TableName": "",
                            "Name": n,
                            "Label": n,
                            "Type": t,
                            "Precision": {"varchar": 2147483647, "bigint": 19, "integer": 10,
                                          "double": 17, "boolean": 0}.get(t, 0),
                            "Scale": 0,
                            "Nullable": "UNKNOWN",
                            "CaseSensitive": t == "varchar",
                        }
                        for n, t in q["columns"]
                    ]
                },
            },
        }
        if offset + page < len(all_rows):
            out["NextToken"] = str(offset + page)
        return out
    raise ApiError("InvalidAction", f"{operation} is not served here")


def status():
    """What GET /_trailcase/athena answers."""
    with _lock:
        return {
            "queries": [
                {
                    "id": q["id"],
                    "sql": q["sql"],
                    "database": q["database"],
                    "workgroup": q["workgroup"],
                    "state": _visible_state(q),
                    "reason": q["reason"] if _visible_state(q) == "FAILED" else (
                        q["cancel_reason"] if _visible_state(q) == "CANCELLED" else None),
                    "scanned_bytes": q["scanned"],
                    "objects": q["objects"],
                    "rows": len(q["rows"]),
                    "polls": q["polls"],
                    "stopped": q["stopped"],
                }
                for q in (_queries[i] for i in _order)
            ],
            "tables": {k: t.describe() for k, t in _tables.items()},
            "stopped": list(_stopped),
            "calls": {k: v for k, v in _calls.items() if not k.startswith("__")},
        }


def _account(environ):
    if os.environ.get("MOTO_ACCOUNT_ID"):
        return os.environ["MOTO_ACCOUNT_ID"]
    if environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
        return environ["HTTP_X_MOTO_ACCOUNT_ID"]
    m = re.search(r"Credential=([^/]+)/", environ.get("HTTP_AUTHORIZATION", ""))
    if m:
        try:
            from moto.iam.models import get_account_id_from

            return get_account_id_from(m.group(1))
        except Exception:
            pass
    return DEFAULT_ACCOUNT_ID


def _region(environ):
    m = re.search(r"Credential=[^/]+/[^/]+/([^/]+)/", environ.get("HTTP_AUTHORIZATION", ""))
    return m.group(1) if m else "us-east-1"


def wsgi(environ, start_response, seed):
    """The WSGI answer for an Athena request or /_trailcase/athena; None for anything else."""
    path = environ.get("PATH_INFO", "")
    if path.rstrip("/") == "/_trailcase/athena":
        if environ.get("REQUEST_METHOD") == "DELETE":
            reset()
            body = b"{}"
        else:
            body = json.dumps(status(), indent=1).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if not target.startswith("AmazonAthena."):
        return None
    operation = target.split(".", 1)[1]
    if operation not in OPERATIONS and operation not in seed.get("athena_deny", []):
        return None
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        request = json.loads(raw or b"{}")
    except ValueError:
        request = {}
    try:
        out, code = handle(operation, request, _account(environ), _region(environ), seed), "200 OK"
    except ApiError as e:
        out, code = e.body, "400 Bad Request"
    body = json.dumps(out).encode()
    start_response(code, [("Content-Type", "application/x-amz-json-1.1"),
                          ("x-amzn-RequestId", str(uuid.uuid4())),
                          ("Content-Length", str(len(body)))])
    return [body]

# How otrf-honeybucket.json.gz was made from the upstream CSV (OTRF Security-Datasets, MIT):
# python3 otrf-honeybucket-reconstruct.py AWS_S3_HoneyBucketLogs.csv otrf-honeybucket.json.gz
import csv, ast, json, gzip, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')))
recs = []
for x in rows:
    recs.append({"userIdentity": ast.literal_eval(x['User ID']), "eventTime": x['Event DateTime'],
        "eventSource": "s3.amazonaws.com",            # added: not in the CSV
        "eventName": x['Event Name'], "awsRegion": "eu-west-1",  # added: from the Host header
        "sourceIPAddress": x['Source IP'], "userAgent": x['Request User Agent'],
        "requestParameters": ast.literal_eval(x['Request Parameters']) if x['Request Parameters'] else None,
        "requestID": x['Request ID'], "eventID": x['Event ID'], "eventType": x['Event Type']})
with gzip.open(sys.argv[2], 'wt') as f:
    json.dump({"Records": recs}, f, indent=1)

"""Shared helper of the Python reference scripts: the gzip trail files under a directory."""

import os


def trail_files(root):
    """Every CloudTrail log file (`*_CloudTrail_*.json.gz`, not the `_CloudTrail-Digest_`
    files) under `root`, in a stable order."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        out.extend(os.path.join(dirpath, f) for f in sorted(filenames) if "_CloudTrail_" in f and f.endswith(".json.gz"))
    return out

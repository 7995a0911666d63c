"""Shared helper of the Python reference scripts: the gzip trail files under a directory."""

import os


def trail_files(root):
    """Every `*.json.gz` under `root`, in a stable order."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        out.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(".json.gz"))
    return out

"""The import graph of the crate, file by file, folded per folder.

For each folder under src/ (and src/ itself: the top-level modules), the edges between its
children: a child file or subfolder imports a sibling when any of its files names a path into
it (`crate::`, `super::`, `self::` or a child module's name; `use` trees expanded). A file's use
of its own parent's items is the ordinary Rust pattern and is not an edge. Test code (from the
first `#[cfg(test)]`) and comments are cut. An item re-exported by a parent counts as the
parent's. Prints the edges with -v and every cycle; exits 1 when there is one.

    python3 scripts/import_graph.py [src] [-v]
"""
import os, re, sys, collections
args = [a for a in sys.argv[1:] if not a.startswith('-')]
root = args[0] if args else 'src'
def modpath(p):
    rel = os.path.relpath(p, root)[:-3].split('/')
    if rel[-1] in ('mod', 'lib', 'main'): rel = rel[:-1]
    return rel
files = {}
for dp, _, fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'):
            p = os.path.join(dp, f); files[tuple(modpath(p))] = p
def resolve(base, path):
    """base: module path of the file; path: list of segments after use. Longest known module prefix."""
    segs = list(path)
    if segs[0] == 'crate': cur = []; segs = segs[1:]
    elif segs[0] in ('super', 'self'):
        cur = list(base)
        while segs and segs[0] in ('super','self'):
            if segs[0] == 'super': cur = cur[:-1]
            segs = segs[1:]
    elif tuple(base + [segs[0]]) in files and BARE:
        cur = list(base)
    else: return None
    best = None
    for k in range(len(segs)+1):
        cand = tuple(cur + segs[:k])
        if cand in files: best = cand
    return best
BARE = True
edges = collections.defaultdict(set)
for mp, p in files.items():
    s = open(p).read()
    i = s.find('#[cfg(test)]')
    if i >= 0: s = s[:i]
    s = re.sub(r'//.*', '', s)
    paths = []
    def expand(prefix, tree):
        tree = tree.strip()
        if not tree: return
        if tree.startswith('{'):
            depth, cur, parts = 0, '', []
            for ch in tree[1:-1]:
                if ch == ',' and depth == 0: parts.append(cur); cur = ''; continue
                depth += ch == '{'; depth -= ch == '}'; cur += ch
            parts.append(cur)
            for p_ in parts: expand(prefix, p_)
            return
        k = tree.find('::{')
        if k >= 0:
            expand(prefix + tree[:k].split('::'), tree[k+2:]); return
        paths.append(prefix + tree.split('@')[0].strip().split('::'))
    for m in re.finditer(r'\buse\s+([^;]*);', s):
        expand([], re.sub(r'\s+', '', re.sub(r'\s+as\s+', '@', m.group(1))))
    rest = re.sub(r'\buse\s+[^;]*;', '', s)
    for m in re.finditer(r'(?<![:\w])((?:crate|super|self|\w+)(?:::\w+)+)', rest):
        paths.append(m.group(1).split('::'))
    for path in paths:
        t = resolve(list(mp), path)
        if t is not None and t != mp: edges[mp].add(t)
def name(t): return '/'.join(t) or 'lib'

# Sibling view: for each folder F, an edge between two distinct children of F (a child standing
# for its whole subtree). A child's use of its parent (super::) is the ordinary Rust pattern and
# not counted; these are the cycles "inside a folder".
sib = collections.defaultdict(set)
for a, bs in edges.items():
    for b in bs:
        k = 0
        while k < min(len(a), len(b)) and a[k] == b[k]: k += 1
        if k < len(a) and k < len(b):
            sib[(a[:k], a[k])].add(b[k])
folders = collections.defaultdict(dict)
for (f, x), ys in sib.items(): folders[f][x] = ys
found = 0
for f, g in sorted(folders.items()):
    # SCC by brute force (small graphs)
    def reach(x):
        seen, todo = set(), [x]
        while todo:
            y = todo.pop()
            for z in g.get(y, ()):
                if z not in seen: seen.add(z); todo.append(z)
        return seen
    comps = set()
    for x in g:
        c = frozenset([x] + [y for y in reach(x) if x in reach(y)])
        if len(c) > 1: comps.add(c)
    for c in comps:
        found += 1
        print('CYCLE in', name(f) + '/:', ' '.join(sorted(c)))
    if '-v' in sys.argv:
        print(f"{name(f) + '/':26}", '; '.join(f"{x} -> {','.join(sorted(ys))}" for x, ys in sorted(g.items())))
print('folders with sibling edges:', len(folders), 'sibling cycles:', found)
sys.exit(1 if found else 0)

"""The import graph of the crate, file by file, folded per folder.

For each folder under src/ (and src/ itself: the top-level modules), the edges between its
children: a child file or subfolder imports a sibling when any of its files names a path into
it (`crate::`, `super::`, `self::` or a child module's name; `use` trees expanded). A file's use
of its own parent's items is the ordinary Rust pattern and is not an edge. Test code (from the
first `#[cfg(test)]`, and files of a `#[cfg(test)] mod x;`) and comments are cut. An item re-exported by a parent counts as the
parent's. Prints the edges with -v and every cycle; exits 1 when there is one.

docs/architecture.md shows the graph in two blocks, each between `<!-- import_graph:NAME -->`
and `<!-- /import_graph:NAME -->` (NAME `top`: the top-level modules, dependencies first;
`folders`: the sibling edges of every folder). --write-doc FILE rewrites them from the code;
--check-doc FILE exits 1 (showing both) when the file's blocks are not what the code says, so
that the graph a reader sees is the one measured.

    python3 scripts/import_graph.py [src] [-v] [--check-doc FILE | --write-doc FILE]
"""
import os, re, sys, collections
argv = sys.argv[1:]
doc_mode = doc_file = None
for flag in ('--check-doc', '--write-doc'):
    if flag in argv:
        i = argv.index(flag)
        if i + 1 >= len(argv): sys.exit(f'{flag} needs a file')
        doc_mode, doc_file = flag, argv[i + 1]
        del argv[i:i + 2]
args = [a for a in argv if not a.startswith('-')]
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
# Files that are test code as a whole (`#[cfg(test)] mod tests;` and what is under them).
test_mods = set()
for mp, p in files.items():
    for m in re.finditer(r'#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;', open(p).read()):
        test_mods.add(tuple(mp) + (m.group(1),))
def is_test(mp):
    return any(mp[:len(t)] == t for t in test_mods)
edges = collections.defaultdict(set)
for mp, p in files.items():
    if is_test(mp): continue
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

def top_block():
    """The top-level modules, each after the modules it imports (ties by name)."""
    mods = sorted(x for x in {k[0] for k in files if k} | set(folders.get((), {})))
    deps = {m: set(folders.get((), {}).get(m, ())) for m in mods}
    out, done = [], set()
    while len(done) < len(mods):
        ready = [m for m in mods if m not in done and deps[m] <= done]
        if not ready: ready = [min(m for m in mods if m not in done)]  # a cycle: reported above
        m = ready[0]; done.add(m)
        out.append((m, ', '.join(sorted(deps[m])) or '(nothing)'))
    pad = max(len(m) for m, _ in out) + 1
    return '\n'.join(f"{m:{pad}}-> {d}" for m, d in out)

def folders_block(width=100):
    lines = []
    pad = max(len(name(f)) for f in folders if f) + 3
    for f, g in sorted(folders.items()):
        if f == (): continue
        items = [f"{x} -> {','.join(sorted(ys))}" for x, ys in sorted(g.items())]
        head, cur = f"{name(f) + '/':{pad}}", ''
        for it in items:
            piece = (cur + '; ' if cur else '') + it
            if cur and len(head) + len(piece) + 1 > width:
                lines.append(head + cur + ';'); head, cur = ' ' * pad, it
            else: cur = piece
        lines.append(head + cur)
    return '\n'.join(lines)

def with_blocks(text):
    for key, body in (('top', top_block()), ('folders', folders_block())):
        start, end = f'<!-- import_graph:{key} -->', f'<!-- /import_graph:{key} -->'
        a, b = text.find(start), text.find(end)
        if a < 0 or b < a: sys.exit(f'{doc_file}: no {start} ... {end} block')
        text = text[:a] + start + '\n```\n' + body + '\n```\n' + text[b:]
    return text

if doc_mode:
    text = open(doc_file).read()
    wanted = with_blocks(text)
    if doc_mode == '--write-doc':
        if wanted != text: open(doc_file, 'w').write(wanted)
    elif wanted != text:
        print(f'{doc_file}: the import graph shown is not the measured one; '
              f'run: python3 scripts/import_graph.py --write-doc {doc_file}')
        print('measured, top-level:\n' + top_block())
        print('measured, folders:\n' + folders_block())
        sys.exit(1)
sys.exit(1 if found else 0)

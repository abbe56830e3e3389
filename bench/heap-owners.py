# python3 bench/heap-owners.py FILE.heapsnapshot [TOP] (issue 17 item 1): a V8 heap snapshot's self size by what holds it: objects by
# constructor and first six keys, strings, arrays and hidden nodes by their first holder's shape and edge name (which field of which kind of
# object holds them). Read session 38's snapshots (docs/design.md "Session 38"). Python: Node cannot read a snapshot over 512 MiB as one string.
import json, sys, collections
s = json.load(open(sys.argv[1]))
m = s['snapshot']['meta']; nf = m['node_fields']; ef = m['edge_fields']; nt = m['node_types'][0]; et = m['edge_types'][0]
N = len(nf); E = len(ef)
iT = nf.index('type'); iN = nf.index('name'); iS = nf.index('self_size'); iC = nf.index('edge_count')
eT = ef.index('type'); eN = ef.index('name_or_index'); eTo = ef.index('to_node')
nodes = s['nodes']; edges = s['edges']; st = s['strings']
count = len(nodes) // N
first = [0] * (count + 1)
e = 0
for n in range(count):
    first[n] = e; e += nodes[n * N + iC] * E
first[count] = e
OBJ = nt.index('object'); CLO = nt.index('closure')
PROP = et.index('property'); ELEM = et.index('element'); INTL = et.index('internal'); WEAK = et.index('weak'); SHORT = et.index('shortcut')
skip_t = {nt.index(x) for x in ('object', 'closure', 'code', 'hidden')}
shape = [None] * count
for n in range(count):
    t = nodes[n * N + iT]
    if t != OBJ:
        shape[n] = nt[t]; continue
    props = []
    k = first[n]; end = first[n + 1]
    while k < end and len(props) < 6:
        if edges[k + eT] == PROP: props.append(st[edges[k + eN]])
        k += E
    shape[n] = '%s{%s}' % (st[nodes[n * N + iN]], ','.join(props))
owner = [None] * count
for n in range(count):
    sh = None
    for k in range(first[n], first[n + 1], E):
        ty = edges[k + eT]
        if ty == WEAK or ty == SHORT: continue
        to = edges[k + eTo] // N
        if owner[to] is not None or nodes[to * N + iT] in skip_t: continue
        name = '[]' if ty == ELEM else ('int:' + str(st[edges[k + eN]]) if ty == INTL else str(st[edges[k + eN]]) if ty == PROP else str(edges[k + eN]))
        owner[to] = '%s .%s' % (shape[n][:70], name)
acc = collections.defaultdict(lambda: [0, 0]); total = 0
for n in range(count):
    t = nodes[n * N + iT]; sz = nodes[n * N + iS]; total += sz
    k = shape[n][:90] if t in (OBJ, CLO) else ('%s <- %s' % (nt[t], owner[n]))[:110]
    a = acc[k]; a[0] += sz; a[1] += 1
print('total MiB %.1f nodes %d' % (total / 2**20, count))
for k, (sz, n) in sorted(acc.items(), key=lambda x: -x[1][0])[:int(sys.argv[2]) if len(sys.argv) > 2 else 60]:
    print('%7.1f %9d %s' % (sz / 2**20, n, k))

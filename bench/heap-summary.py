# python3 bench/heap-summary.py FILE.heapsnapshot (issue 17 item 1): a V8 heap snapshot's self size by node type and name, top 45 (Node cannot read a snapshot over 512 MiB as one string)
import json, sys, collections
s = json.load(open(sys.argv[1]))
meta = s['snapshot']['meta']; f = meta['node_fields']; types = meta['node_types'][0]
N = len(f); it = f.index('type'); iname = f.index('name'); isz = f.index('self_size')
nodes = s['nodes']; strings = s['strings']
acc = collections.defaultdict(lambda: [0, 0]); total = 0
for i in range(0, len(nodes), N):
    t = types[nodes[i + it]]
    name = '' if 'string' in t else strings[nodes[i + iname]][:60]
    sz = nodes[i + isz]; total += sz
    e = acc[t + ' ' + name]; e[0] += sz; e[1] += 1
print('total MiB %.1f' % (total / 2**20))
for k, (sz, n) in sorted(acc.items(), key=lambda x: -x[1][0])[:45]:
    print('%7.1f %9d %s' % (sz / 2**20, n, k))

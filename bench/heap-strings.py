# python3 bench/heap-strings.py FILE.heapsnapshot (issue 17 item 1): its strings' self size by class (a GUID, or the first word and a length bucket: opIds, labels)
import json, sys, collections, re
s = json.load(open(sys.argv[1]))
meta = s['snapshot']['meta']; f = meta['node_fields']; types = meta['node_types'][0]
N = len(f); it = f.index('type'); iname = f.index('name'); isz = f.index('self_size')
nodes = s['nodes']; strings = s['strings']
acc = collections.defaultdict(lambda: [0, 0])
for i in range(0, len(nodes), N):
    t = types[nodes[i + it]]
    if t not in ('string', 'concatenated string', 'sliced string'): continue
    v = strings[nodes[i + iname]]; sz = nodes[i + isz]
    if re.fullmatch(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', v): k = 'GUID'
    else:
        m = re.match(r'[A-Za-z]+(:[A-Za-z]+)?', v); k = t[:5] + ' ' + (m.group(0) if m else v[:6]) + ' len' + str(min(len(v)//32*32, 256))
    e = acc[k]; e[0] += sz; e[1] += 1
for k, (sz, n) in sorted(acc.items(), key=lambda x: -x[1][0])[:40]:
    print('%7.1f %9d %s' % (sz / 2**20, n, k))

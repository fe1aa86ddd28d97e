#!/usr/bin/env python3
"""How much of an imagetext build's eval_caption split has a sibling in train.
Usage: bench/split_leakage.py DATASET_DIR [SPLIT]   (e.g. /tmp/juicer-ds/imagetext; SPLIT defaults to eval_caption)

family-in-train: share of eval_caption items whose split family (itx::FamilyKey of the item's name:
emoji name, Openclipart title, Tux Paint caption) also occurs in train. Builds with a `split_family`
meta field use it (and check this Python port against it); older builds get it from the port, with
Openclipart titles read from /usr/share/openclipart/svg.
exact-name-in-train: the item's first reference, lower-cased with digits and punctuation stripped,
equals the same normalisation of a train item's name (no gender/skin-tone handling)."""
import json, re, sys, os, collections
from xml.etree import ElementTree as ET
TONE = {'light', 'medium', 'dark'}; HAIR = {'red', 'curly', 'white', 'blond'}
DROP = set('man woman person men women people boy girl mx mrs santa bald one two three four five six seven eight nine ten eleven twelve first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth a an the and of in with'.split())
SAME = {'prince': 'crown', 'princess': 'crown', 'mermaid': 'merperson', 'merman': 'merperson', 'older': 'old'}
def flat(name):
    s = re.sub(r'[0-9]+(st|nd|rd|th)?(?![A-Za-z])', ' ', name)
    s = re.sub(r'[0-9]+', ' ', s)
    out = []
    for ch in s:
        o = ord(ch)
        if o < 0x80:
            out.append(ch.lower() if ch.isalpha() else ("'" if ch == "'" else ' '))
        elif ch in '\u2019\u2018': out.append("'")
        elif ch in '\u2013\u2014\u2026\u201c\u201d\u00ab\u00bb\u00a0\u00bf\u00a1': out.append(' ')
        else: out.append(ch)
    return ''.join(out)
def family(name):
    toks = []
    for t in flat(name).split():
        t = t.lstrip("'")
        if t.endswith("'s"): t = t[:-2]
        t = t.rstrip("'")
        if t: toks.append(t)
    kept = []; i = 0
    while i < len(toks):
        t = toks[i]
        if t == 'skin' and i + 1 < len(toks) and toks[i + 1] == 'tone':
            while kept and kept[-1] in TONE: kept.pop()
            i += 2; continue
        if t == 'hair' and kept and kept[-1] in HAIR:
            kept.pop(); i += 1; continue
        kept.append(t); i += 1
    key = ' '.join(SAME.get(t, t) for t in kept if t not in DROP)
    return key or '~'
def exact(name):
    return ' '.join(re.sub(r"[^a-z\u00c0-\uffff]+", ' ', name.lower()).split())
BAD = {"", "untitled", "image", "drawing", "layer 1", "layer_1", "svg", "new document 1", "clip art", "clipart", "picture", "icon"}
NS = {'dc': 'http://purl.org/dc/elements/1.1/', 'cc': 'http://creativecommons.org/ns#', 'rdf': 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'}
def oc_title(rel):
    p = '/usr/share/openclipart/svg/' + rel[:-4] + '.svg'
    try:
        txt = open(p, encoding='utf-8', errors='replace').read()
    except OSError: return None, None
    m = re.search(r'<dc:title>(.*?)</dc:title>', txt, re.S); t = m.group(1).strip() if m else ''
    m = re.search(r'<dc:creator>.*?<dc:title>(.*?)</dc:title>', txt, re.S); c = m.group(1).strip() if m else ''
    import html
    return html.unescape(html.unescape(t)), html.unescape(html.unescape(c))
def name_of(r):
    m = r['__dj__meta__']; src = m['source']
    cap = r['text'][len('<__dj__image> '):-len(' <|__dj__eoc|>')]
    if src == 'emoji': return m['name'], m['name']
    if src == 'tuxpaint': return cap, cap
    if src == 'openclipart':
        rel = r['images'][0][len('images/openclipart/'):]
        t, c = oc_title(rel)
        usable = t is not None and t.lower() not in BAD and not any(e in t.lower() for e in ('.svg', '.png', '.jpg', '.jpeg', '.gif'))
        fam_name = t if usable and t.lower() != (c or '').lower() else cap
        ex_name = r['references'][0] if 'references' in r else (t if m.get('caption_from') == 'title' else cap)
        return fam_name, ex_name
    return None, None
d = sys.argv[1]
load = lambda s: [json.loads(l) for l in open(os.path.join(d, s + '.jsonl'))]
split = sys.argv[2] if len(sys.argv) > 2 else 'eval_caption'
tr, ev = load('train'), load(split)
fam_tr, ex_tr = collections.defaultdict(set), collections.defaultdict(set)
mism = 0
for r in tr:
    src = r['__dj__meta__']['source']
    if src == 'fashion_mnist': continue
    fn, en = name_of(r)
    f = family(fn)
    if 'split_family' in r['__dj__meta__'] and r['__dj__meta__']['split_family'] != f:
        mism += 1
        if mism <= 5: print('port mismatch', repr(fn), r['__dj__meta__']['split_family'], f)
    fam_tr[src].add(r['__dj__meta__'].get('split_family', f)); ex_tr[src].add(exact(en))
n = collections.Counter(); nf = collections.Counter(); ne = collections.Counter(); ex_f = collections.defaultdict(list)
for r in ev:
    src = r['__dj__meta__']['source']
    fn, en = name_of(r)
    if src == 'fashion_mnist': continue
    f = r['__dj__meta__'].get('split_family', family(fn))
    n[src] += 1
    if f in fam_tr[src]: nf[src] += 1; ex_f[src].append(en)
    if exact(en) in ex_tr[src]: ne[src] += 1
T = sum(n.values())
print(f'{d}: {split} {T} (without Fashion-MNIST), train {len(tr)}; port mismatches {mism}')
for s in sorted(n): print(f'  {s:12s} n={n[s]:4d} family-in-train {nf[s]:4d} ({nf[s]/n[s]:.1%})  exact-name-in-train {ne[s]:4d} ({ne[s]/n[s]:.1%})  e.g. {ex_f[s][:6]}')
print(f'  {"all":12s} n={T:4d} family-in-train {sum(nf.values()):4d} ({sum(nf.values())/T:.1%})  exact-name-in-train {sum(ne.values()):4d} ({sum(ne.values())/T:.1%})')

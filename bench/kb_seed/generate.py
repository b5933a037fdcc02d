#!/usr/bin/python3
"""bench/kb_seed/generate.py: synthetic knowledge-base articles and query lists for bench/kb_search.

usage: generate.py DATA_DIR N OUT_DIR [SEED]

Reads stackfaq-kb.jsonl and debian-faq-kb.jsonl from DATA_DIR (../shared/data) and writes to OUT_DIR:
  articles.jsonl      N articles for `firstline kb import` (title, body, language de|en, kind,
                      status published, keywords, category A/B). Each one recombines sentences of
                      two to four real answers and adds product, version and error-code words, so
                      the vocabulary and the posting lists look like a large real KB rather than N
                      copies of 272 texts.
  search-queries.txt  one query a line (1-3 words that occur in the articles), for kb/search
  suggest-queries.txt one typed prefix a line ("drucker verb", "pass"), for kb/suggest
  ticket-words.txt    words for ticket subjects and for ticket search queries
  last-marker.txt     a word found only in the last article (to see when indexing has caught up)
Standard library only; deterministic for a given SEED.
"""
import json
import os
import random
import re
import sys

if len(sys.argv) < 4:
    sys.exit(__doc__)
data_dir, n, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 4711)

SENT = re.compile(r'(?<=[.!?])\s+')
WORD = re.compile(r"[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß'-]{3,}")

bases = {"en": [], "de": []}  # (title, [sentences])
with open(os.path.join(data_dir, "stackfaq-kb.jsonl"), encoding="utf-8") as f:
    for line in f:
        e = json.loads(line)
        text = " ".join(e["answers"])
        bases["en"].append((e["question"].strip(), [s for s in SENT.split(text) if len(s) > 20]))
with open(os.path.join(data_dir, "debian-faq-kb.jsonl"), encoding="utf-8") as f:
    for line in f:
        e = json.loads(line)
        for lang in ("en", "de"):
            text = e.get("answer_" + lang) or ""
            sents = [s for s in SENT.split(text) if len(s) > 20]
            if sents:
                title = " ".join(sents[0].split()[:8]).rstrip(".,:;")
                bases[lang].append((title, sents))

products = ["Outlook", "Windows", "Teams", "SharePoint", "OneDrive", "VPN", "Citrix", "SAP", "Firefox",
            "Chrome", "Thunderbird", "LibreOffice", "Drucker", "Scanner", "WLAN", "Laptop", "Docking",
            "Headset", "Jira", "Confluence", "GitLab", "Zoom", "Webex", "Excel", "Word", "PowerPoint",
            "Acrobat", "Okta", "Active-Directory", "Exchange", "Debian", "Ubuntu", "macOS", "iPhone",
            "Android", "Bitlocker", "Kerberos", "Samba", "Nextcloud", "Keepass"]
areas = {"Hardware": ["Drucker", "Laptop", "Monitor", "Telefon"], "Software": ["Office", "Browser", "ERP", "Linux"],
         "Netzwerk": ["VPN", "WLAN", "Proxy", "DNS"], "Zugang": ["Passwort", "Konto", "MFA", "Rechte"],
         "Kommunikation": ["Mail", "Chat", "Video", "Kalender"]}
area_list = [(a, s) for a, subs in areas.items() for s in subs]
kinds = ["faq", "howto", "troubleshooting"]
extra = {"en": ["Applies to {p} {v}.", "Error code {c} may appear in the log.", "Tested with {p} {v} on site {s}.",
                "If {p} still fails, open a ticket and mention code {c}."],
         "de": ["Gilt für {p} {v}.", "Im Protokoll erscheint eventuell der Fehlercode {c}.",
                "Geprüft mit {p} {v} am Standort {s}.", "Wenn {p} weiterhin nicht geht, Ticket mit Code {c} eröffnen."]}
sites = ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Wien", "Zürich", "Bremen"]

os.makedirs(out_dir, exist_ok=True)
vocab = {}
last_marker = "zzbenchmarkerlast"
with open(os.path.join(out_dir, "articles.jsonl"), "w", encoding="utf-8") as out:
    for i in range(n):
        lang = "de" if rng.random() < 0.35 else "en"
        picks = rng.sample(bases[lang], rng.randint(2, 4))
        title_base, _ = picks[0]
        p = rng.choice(products)
        v = "%d.%d" % (rng.randint(1, 24), rng.randint(0, 9))
        c = "E%04d" % rng.randint(0, 9999)
        sentences = []
        for _, s in picks:
            k = min(len(s), rng.randint(1, 4))
            start = rng.randint(0, len(s) - k)
            sentences += s[start:start + k]
        sentences.append(rng.choice(extra[lang]).format(p=p, v=v, c=c, s=rng.choice(sites)))
        body = " ".join(sentences)
        if len(body) > 2500:
            body = body[:2500].rsplit(" ", 1)[0] + "."
        title = "%s (%s %s)" % (title_base[:120], p, v)
        if i == n - 1:
            body += " " + last_marker
        area, sub = rng.choice(area_list)
        words = WORD.findall(title_base) + WORD.findall(body[:400])
        for w in words:
            lw = w.lower()
            vocab[lw] = vocab.get(lw, 0) + 1
        kw = [p, c] + rng.sample(words, min(2, len(words)))
        out.write(json.dumps({"title": title, "body": body, "language": lang, "kind": kinds[i % 3],
                              "status": "published", "keywords": kw, "category": area + "/" + sub},
                             ensure_ascii=False) + "\n")

# Queries: words of middling frequency (not stop words, not hapaxes), as users type them.
common = sorted(vocab.items(), key=lambda kv: -kv[1])
pool = [w for w, c in common[30:3000] if c >= 3 and w.isalpha()] or [w for w, _ in common]
prod = [p.lower() for p in products]
with open(os.path.join(out_dir, "search-queries.txt"), "w", encoding="utf-8") as f:
    for _ in range(5000):
        k = rng.choice((1, 2, 2, 3))
        ws = rng.sample(pool, k)
        if rng.random() < 0.3:
            ws[-1] = rng.choice(prod)
        f.write(" ".join(ws) + "\n")
with open(os.path.join(out_dir, "suggest-queries.txt"), "w", encoding="utf-8") as f:
    for _ in range(5000):
        w = rng.choice(pool + prod)
        cut = rng.randint(min(3, len(w)), len(w))
        prefix = w[:cut]
        if rng.random() < 0.4:
            prefix = rng.choice(pool) + " " + prefix
        f.write(prefix + "\n")
with open(os.path.join(out_dir, "ticket-words.txt"), "w", encoding="utf-8") as f:
    for w in pool[:2000] + prod:
        f.write(w + "\n")
with open(os.path.join(out_dir, "last-marker.txt"), "w", encoding="utf-8") as f:
    f.write(last_marker + "\n")

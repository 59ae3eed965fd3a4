"""The world map on / and /countries/: countries shaded by their number of published initiatives.

The shapes come from world_map.json, built once by scripts/build_world_map.py.
"""

import functools
import json
import pathlib

SHAPES_FILE = pathlib.Path(__file__).with_name("world_map.json")
SHADES = 5


@functools.cache
def shapes():
    return json.loads(SHAPES_FILE.read_text())


def shade_of_count(counts):
    """Map each count to a shade from 1 to SHADES by its rank among the distinct counts.

    Ranks rather than values, so that one country with hundreds of initiatives does not leave
    every other one in the palest shade; the legend gives the counts each shade stands for.
    """
    distinct = sorted(set(counts))
    if len(distinct) == 1:
        return {distinct[0]: SHADES}
    last = len(distinct) - 1
    return {
        count: 1 + min(SHADES - 1, rank * SHADES // last) for rank, count in enumerate(distinct)
    }


def world_map(countries):
    """The map's context from countries annotated with initiative_count, without a query.

    Countries with initiatives are linked and shaded one by one, in the order given, which is the
    order of the list beside the map; every other shape is drawn as one plain path.
    """
    data = shapes()
    counted = [
        country
        for country in countries
        if country.initiative_count and country.code in data["shapes"]
    ]
    shade = shade_of_count(country.initiative_count for country in counted)
    linked = [
        {
            "country": country,
            "shade": shade[country.initiative_count],
            "path": data["shapes"][country.code],
        }
        for country in counted
    ]
    codes = {country.code for country in counted}
    land = "".join(path for code, path in data["shapes"].items() if code not in codes)
    legend = {}
    for count, number in sorted(shade.items()):
        legend.setdefault(number, []).append(count)
    return {
        "view_box": data["viewBox"],
        "land": land + data["other"],
        "countries": linked,
        "legend": [
            {"shade": number, "low": counts[0], "high": counts[-1]}
            for number, counts in legend.items()
        ],
    }

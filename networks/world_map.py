"""The world map on / and /countries/: countries shaded by their number of published initiatives,
those with facilitators only hatched, Europe again in an inset, and the countries too small to
tap on a phone as tiles beside the map.

The shapes come from world_map.json, built once by scripts/build_world_map.py (`make map`).
"""

import dataclasses
import functools
import json
import pathlib
import re

SHAPES_FILE = pathlib.Path(__file__).with_name("world_map.json")
SHADES = 5
# The inset's window on the world map, in its units: Iceland to Cyprus, Crete to the North Cape.
EUROPE = (444, 26, 160, 120)
# A 375 px wide phone shows the map and the inset 343 px wide: a country whose shape is smaller
# than a 44 px square there gets a tile of that size. On a 1280 px screen the map is 730 px
# wide, the inset 400 px, and a tile stays for the shapes under WCAG's 24 px minimum.
PHONE = {"world": 343, "europe": 343, "target": 44}
DESKTOP = {"world": 730, "europe": 400, "target": 24}
RING = re.compile(r"M(-?[\d.]+) (-?[\d.]+)(?:a[^M]*|l([^z]*))z")
NUMBER = re.compile(r"-?[\d.]+")


@functools.cache
def shapes():
    return json.loads(SHAPES_FILE.read_text())


@functools.cache
def bounds(code):
    """The (left, top, right, bottom) of each ring of the country's shape, in the map's units."""
    rings = []
    for match in RING.finditer(shapes()["shapes"][code]):
        x, y = float(match[1]), float(match[2])
        xs, ys = [x], [y]
        if match[3] is None:  # a dot: the shape of a country too small to draw
            xs.append(x + 5)
            ys.extend([y - 2.5, y + 2.5])
        else:
            steps = [float(number) for number in NUMBER.findall(match[3])]
            for dx, dy in zip(steps[::2], steps[1::2], strict=True):
                x, y = x + dx, y + dy
                xs.append(x)
                ys.append(y)
        rings.append((min(xs), min(ys), max(xs), max(ys)))
    return rings


def overlaps(ring, window):
    left, top, width, height = window
    return ring[0] < left + width and ring[2] > left and ring[1] < top + height and ring[3] > top


def in_europe(code):
    return any(overlaps(ring, EUROPE) for ring in bounds(code))


def tappable(code, screen):
    """Whether a part of the country is a large enough target on this screen, where it is drawn
    largest: in the inset for Europe, else on the world map."""
    if in_europe(code):
        scale = screen["europe"] / EUROPE[2]
        rings = [ring for ring in bounds(code) if overlaps(ring, EUROPE)]
    else:
        scale = screen["world"] / int(shapes()["viewBox"].split()[2])
        rings = bounds(code)
    return any(
        min(ring[2] - ring[0], ring[3] - ring[1]) * scale >= screen["target"] for ring in rings
    )


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


def tile_for(code):
    if not tappable(code, DESKTOP):
        return "always"
    return "" if tappable(code, PHONE) else "phone"


@dataclasses.dataclass
class Shape:
    country: object  # a listed Country, with its initiative_count and facilitator_count
    shade: int | None  # None: facilitators but no published initiative
    path: str
    in_europe: bool
    tile: str  # "", or where it is too small to tap and gets a tile: "phone" or "always"


def world_map(countries):
    """The map's context from listed countries (Country.objects.listed), without a query.

    Every listed country is linked, in the order given, which is the order of the list beside
    the map; every other shape is drawn as one plain path.
    """
    data = shapes()
    drawn = [country for country in countries if country.code in data["shapes"]]
    shade = shade_of_count(
        country.initiative_count for country in drawn if country.initiative_count
    )
    linked = [
        Shape(
            country=country,
            shade=shade.get(country.initiative_count),
            path=data["shapes"][country.code],
            in_europe=in_europe(country.code),
            tile=tile_for(country.code),
        )
        for country in drawn
    ]
    codes = {country.code for country in drawn}
    land = "".join(path for code, path in data["shapes"].items() if code not in codes)
    legend = {}
    for count, number in sorted(shade.items()):
        legend.setdefault(number, []).append(count)
    return {
        "view_box": data["viewBox"],
        "europe_view_box": " ".join(str(number) for number in EUROPE),
        "land": land + data["other"],
        "countries": linked,
        "europe": [shape for shape in linked if shape.in_europe],
        "tiles": [shape for shape in linked if shape.tile],
        "legend": [
            {"shade": number, "low": counts[0], "high": counts[-1]}
            for number, counts in legend.items()
        ],
        "facilitators_only": any(shape.shade is None for shape in linked),
    }

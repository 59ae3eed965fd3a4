"""Build networks/world_map.json, the country shapes of the world map on / and /countries/.

The shapes are Natural Earth's (public domain) as packaged by world-atlas on npm: every country of
the 1:110m set, plus the small ones that only the 1:50m set has (Singapore, Malta, Bahrain, ...),
drawn with a dot so they can be seen and clicked. Antarctica is left out. They are projected once
with d3-geo's Natural Earth projection and written as SVG path strings with integer coordinates,
keyed by ISO 3166 alpha-2 code as django-countries gives it, the codes of networks.Country.

Run it again, from the project root, only to change the shapes (it needs node 20 and npm; the npm
packages go to a temporary directory, never into the repository):

    .venv/bin/python scripts/build_world_map.py
"""

import json
import pathlib
import subprocess
import sys
import tempfile

from django.conf import settings

settings.configure(USE_I18N=False)

from django_countries import countries  # noqa: E402

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "networks" / "world_map.json"
PACKAGES = ["world-atlas@2.0.2", "topojson-client@3.1.0", "d3-geo@3.1.1"]

# Shapes that Natural Earth draws without an ISO code, given to the country ISO 3166 counts them in;
# Kosovo has no ISO code, so it stays a plain shape.
UNCODED = {"N. Cyprus": "CY", "Somaliland": "SO"}

# Prints {"width", "height", "shapes": [{"id", "name", "d"}]} as JSON.
PROJECT = r"""
import {readFileSync} from "node:fs";
import {feature} from "topojson-client";
import {geoNaturalEarth1, geoPath} from "d3-geo";

const WIDTH = 1000, DOT = 2.5, SMALL = 4;
const ANTARCTICA = "010";
const load = (scale) => {
  const topology = JSON.parse(readFileSync(`node_modules/world-atlas/countries-${scale}.json`));
  return feature(topology, topology.objects.countries).features.filter((f) => f.id !== ANTARCTICA);
};
const coarse = load("110m");
const known = new Set(coarse.map((f) => f.id));
const small = load("50m").filter((f) => f.id !== undefined && !known.has(f.id));
const features = [...coarse, ...small];

const projection = geoNaturalEarth1().fitWidth(WIDTH, {type: "FeatureCollection", features});
const height = Math.ceil(geoPath(projection).bounds({type: "FeatureCollection", features})[1][1]);

// A country too small to see, or all of whose islands rounding flattens, becomes a dot. Others:
// integer coordinates, relative after each ring's start, dropping the points that rounding
// merges and the rings it flattens.
function dotOf(f) {
  const [x, y] = geoPath(projection).centroid(f).map((v) => Math.round(v * 2) / 2);
  return `M${x - DOT} ${y}a${DOT} ${DOT} 0 1 0 ${2 * DOT} 0a${DOT} ${DOT} 0 1 0 ${-2 * DOT} 0z`;
}

function pathOf(f) {
  const [[x0, y0], [x1, y1]] = geoPath(projection).bounds(f);
  if (Math.max(x1 - x0, y1 - y0) < SMALL) return dotOf(f);
  const rings = [];
  let ring = null;
  const context = {
    moveTo(x, y) { ring = [[Math.round(x), Math.round(y)]]; rings.push(ring); },
    lineTo(x, y) {
      const p = [Math.round(x), Math.round(y)], q = ring[ring.length - 1];
      if (p[0] !== q[0] || p[1] !== q[1]) ring.push(p);
    },
    closePath() {},
  };
  geoPath(projection, context)(f);
  let d = "";
  for (const r of rings) {
    const last = r[r.length - 1];
    if (last[0] === r[0][0] && last[1] === r[0][1]) r.pop();
    if (r.length < 3) continue;
    const steps = r.slice(1).map((p, i) => [p[0] - r[i][0], p[1] - r[i][1]]).flat();
    d += `M${r[0].join(" ")}l${steps.join(" ")}z`;
  }
  return d ? d.replace(/ -/g, "-") : dotOf(f);
}

const shapes = features.map((f) => ({id: f.id ?? null, name: f.properties.name, d: pathOf(f)}));
process.stdout.write(JSON.stringify({width: WIDTH, height, shapes}));
"""


def project(workdir):
    subprocess.run(
        ["npm", "install", "--no-save", "--no-audit", "--no-fund", *PACKAGES],
        cwd=workdir,
        check=True,
    )
    script = pathlib.Path(workdir) / "project.mjs"
    script.write_text(PROJECT)
    result = subprocess.run(
        ["node", script], cwd=workdir, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout)


def main():
    with tempfile.TemporaryDirectory() as workdir:
        projected = project(workdir)
    shapes, other = {}, []
    for shape in projected["shapes"]:
        code = countries.alpha2(shape["id"]) if shape["id"] else UNCODED.get(shape["name"], "")
        if code:
            shapes[code] = shapes.get(code, "") + shape["d"]
        else:
            other.append(shape["d"])
    data = {
        "source": "Natural Earth via world-atlas 2.0.2; built by scripts/build_world_map.py",
        "viewBox": f"0 0 {projected['width']} {projected['height']}",
        "shapes": dict(sorted(shapes.items())),
        "other": "".join(other),
    }
    OUTPUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"{len(shapes)} countries, {OUTPUT.stat().st_size} bytes: {OUTPUT}", file=sys.stderr)


if __name__ == "__main__":
    main()

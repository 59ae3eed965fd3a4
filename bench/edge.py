"""`make bench`'s shared cache: the page cache's URLs through Varnish with the shipped VCL
(ops/varnish/probono.vcl), beside gunicorn alone serving the same mix from its page cache, in
the same run (docs/edge.md)."""

import tempfile
from pathlib import Path

from bench import wrk

HITS, MISSES = "MAIN.cache_hit", "MAIN.cache_miss"
# As browsers ask: Varnish keeps pages compressed, and would otherwise inflate each one.
HEADERS = ("Accept-Encoding: gzip",)


def through_varnish(server, rows, duration):
    """wrk on the mix of cached rows' URLs, at gunicorn, then through Varnish in front of it."""
    # Here, not above: ops.common, which ops.edge_stack imports, imports bench.run.
    from ops.edge_stack import Varnish, free_port, reachable_by_varnish

    paths = [row["path"] for row in rows if row["variant"] == "cached"]
    direct = wrk.run_mix(server.url, paths, duration, HEADERS)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        reachable_by_varnish(folder)
        with Varnish(folder, free_port(), [server.port]) as varnish:
            url = f"http://127.0.0.1:{varnish.port}"
            for path in paths:
                server.request(path)  # in gunicorn's page cache, as in the direct run
            before = varnish.counters(HITS, MISSES)
            through = wrk.run_mix(url, paths, duration, HEADERS)
            after = varnish.counters(HITS, MISSES)
    hits, misses = (after[name] - before[name] for name in (HITS, MISSES))
    return {
        "paths": paths,
        "gunicorn": direct.as_dict(),
        "varnish": through.as_dict(),
        "hit_ratio": hits / max(hits + misses, 1),
    }

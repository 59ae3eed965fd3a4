"""The public JSON API under /api/v1/ (docs/api.md): read-only, published data only.

The initiatives endpoint takes the finder's own parameters through the finder itself
(initiatives.finder), but strictly: what a page would ignore with a notice, the API refuses
with a 400 naming each parameter.
"""

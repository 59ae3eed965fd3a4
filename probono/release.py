"""A fingerprint of the code that renders pages, to keep each release's cached pages apart.

Cached pages and fragments hold what the templates, translations and styles made of the data.
Keyed by data version only, they would outlive a deploy in a shared Redis, and the new release
would serve markup, or links to stylesheets, of the old one until the next edit.
"""

import hashlib

# Everything a rendered page depends on besides the data. The compiled catalogue follows its
# .po file; bytecode follows its source.
SOURCES = ["probono", "initiatives", "networks", "templates", "locale", "static"]
LEFT_OUT = {".mo", ".pyc"}


def code_version(root):
    """The same string in every process of one release, another after any change to SOURCES."""
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix not in LEFT_OUT:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

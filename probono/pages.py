"""What a page that is no finder view says of itself: its title, its own description and its
canonical address, for the <title>, search engines and link previews (templates/base.html).
Finder pages say it through the finder (includes/finder_head.html), initiatives through their
own fields."""

import dataclasses


@dataclasses.dataclass
class Head:
    title: str
    description: str
    url: str  # absolute, canonical


def head(request, title, description, query=""):
    """The page's head, at its path with `query` (say `?page=2`), never what else the
    address carried."""
    return Head(str(title), str(description), request.build_absolute_uri(request.path) + query)

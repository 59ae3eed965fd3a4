"""Stable links: a renamed slug keeps working, by a permanent redirect to the current one; a new
entry's slug is made from its title."""

import functools

from django.http import Http404
from django.shortcuts import redirect
from django.utils.text import slugify


def free_slug(queryset, title):
    """A slug made from `title` that no object of `queryset` has: "lawyers-for-food-banks",
    else "lawyers-for-food-banks-2", and so on."""
    base = slugify(title)[:90].strip("-") or "initiative"
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    candidates = (
        base if number == 1 else f"{base}-{number}" for number in range(1, len(taken) + 2)
    )
    return next(candidate for candidate in candidates if candidate not in taken)


def renamed(queryset, slug):
    """The object of `queryset` whose slug once was `slug`, as its edit history tells."""
    former = queryset.model.history.filter(slug=slug).order_by("-history_date").first()
    return former and queryset.exclude(slug=slug).filter(pk=former.id).first()


def follow_renamed_slugs(visible):
    """When the view finds no object by this slug, redirect to the one that had it.

    `visible(request)` is the queryset of objects the reader may see.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, slug, **kwargs):
            try:
                return view(request, slug=slug, **kwargs)
            except Http404:
                current = renamed(visible(request), slug)
                if current is None:
                    raise
                query = request.META.get("QUERY_STRING", "")
                url = current.get_absolute_url() + (f"?{query}" if query else "")
                return redirect(url, permanent=True)

        return wrapper

    return decorator

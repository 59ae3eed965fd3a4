"""One envelope for every list of the API, after Open Referral's HSDS: the page's items under
`contents`, and where they sit among the others."""

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

PER_PAGE, MAX_PER_PAGE = 20, 100


def problem(parameter, value, message):
    """One entry of a 400's `errors`."""
    return {"parameter": parameter, "value": value, "message": str(message)}


def page_numbers(params):
    """(page, per_page) from the query; a 400 naming each one that is not valid."""
    errors, numbers = [], []
    for name, default, top in (("page", 1, None), ("per_page", PER_PAGE, MAX_PER_PAGE)):
        text = params.get(name, str(default))
        if text.isascii() and text.isdigit() and 1 <= int(text) <= (top or 10**6):
            numbers.append(int(text))
        else:
            limit = f"from 1 to {top}" if top else "from 1 to 1000000"
            errors.append(problem(name, text, f"“{name}” must be a whole number {limit}."))
    if errors:
        raise ValidationError({"errors": errors})
    return tuple(numbers)


class Envelope(BasePagination):
    """`page` and `per_page` (at most MAX_PER_PAGE); a page past the last one is a 404."""

    def paginate_queryset(self, queryset, request, view=None):
        self.page, self.per_page = page_numbers(request.query_params)
        self.count = len(queryset) if isinstance(queryset, list) else queryset.count()
        self.check_page()
        start = (self.page - 1) * self.per_page
        return list(queryset[start : start + self.per_page])

    def check_page(self):
        self.total_pages = max(1, -(-self.count // self.per_page))
        if self.page > self.total_pages:
            raise NotFound(f"There is no page {self.page}; the last page is {self.total_pages}.")

    def get_paginated_response(self, data, **extra):
        return Response(
            {
                "total_items": self.count,
                "total_pages": self.total_pages,
                "page_number": self.page,
                "size": len(data),
                "first_page": self.page == 1,
                "last_page": self.page == self.total_pages,
                "empty": not data,
                **extra,
                "contents": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        number = {"type": "integer"}
        flag = {"type": "boolean"}
        return {
            "type": "object",
            "required": ["total_items", "total_pages", "page_number", "size", "contents"],
            "properties": {
                "total_items": number,
                "total_pages": number,
                "page_number": number,
                "size": number,
                "first_page": flag,
                "last_page": flag,
                "empty": flag,
                "contents": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": "The page, from 1.",
                "schema": {"type": "integer", "minimum": 1, "default": 1},
            },
            {
                "name": "per_page",
                "in": "query",
                "required": False,
                "description": f"Items a page, at most {MAX_PER_PAGE}.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PER_PAGE,
                    "default": PER_PAGE,
                },
            },
        ]

def cross_origin_resource_policy(get_response):
    """No other site may embed our pages, files or exports (Django has no setting for it)."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

    return middleware

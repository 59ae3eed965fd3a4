"""A notice about a link's parameters, shared by the finder's pages and the API."""


class Notice(str):
    """What the finder ignored or changed in a link, in words; `parameter` names the parameter
    at fault (None for a notice about the site itself), which the API answers with a 400."""

    def __new__(cls, text, parameter=None, value=None):
        notice = super().__new__(cls, text)
        notice.parameter, notice.value = parameter, value
        return notice

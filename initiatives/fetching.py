"""Asking sites about a page the way the Internet Archive's crawler does: a HEAD first, a GET
only when the HEAD is refused, never more than one request a second to the same host, redirects
followed one hop at a time (each hop is a request to its host), and a User-Agent that says who
asks and how to reach them."""

import contextlib
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

MAX_REDIRECTS = 10
# A HEAD answered with one of these says the page is gone: a GET would say the same.
GONE = {404, 410}


@dataclass(frozen=True)
class Answer:
    """What a site said: the last status (None when no HTTP answer came at all) and the address
    that gave it, after redirects."""

    status: int | None
    final_url: str
    error: str = ""

    @property
    def answered(self):
        return self.status is not None

    @property
    def works(self):
        return self.answered and 200 <= self.status < 300


class HostSpacing:
    """The next moment each host may be asked again: `interval` seconds after its last answer
    ended, across the whole run."""

    def __init__(self, interval, clock=time.monotonic, sleep=time.sleep):
        self.interval, self.clock, self.sleep = interval, clock, sleep
        self.free_at = {}

    def ready_in(self, host):
        return max(0.0, self.free_at.get(host, 0.0) - self.clock())

    @contextlib.contextmanager
    def turn(self, host):
        if delay := self.ready_in(host):
            self.sleep(delay)
        try:
            yield
        finally:
            self.free_at[host] = self.clock() + self.interval


def host_of(url):
    return (urlsplit(url).hostname or "").lower()


def user_agent():
    return (
        f"{settings.SITE_NAME.replace(' ', '')}-LinkChecker/1.0 "
        f"(+{settings.LINK_CHECK_CONTACT}; checks the sources the directory cites)"
    )


def session():
    http = requests.Session()
    http.headers["User-Agent"] = user_agent()
    return http


def describe(error):
    if isinstance(error, requests.Timeout):
        what = "timed out"
    elif isinstance(error, requests.exceptions.SSLError):
        what = "TLS failed"
    elif isinstance(error, requests.ConnectionError):
        what = "could not connect"
    else:
        what = "request failed"
    return f"{what}: {error}"[:200]


class Fetcher:
    def __init__(self, spacing, http=None, timeout=None):
        self.spacing = spacing
        self.http = http or session()
        self.timeout = timeout if timeout is not None else settings.LINK_CHECK_TIMEOUT

    def request(self, method, url, read_body=False, **kwargs):
        """One request, in its host's turn; the body is left unread unless asked for."""
        with self.spacing.turn(host_of(url)):
            response = self.http.request(
                method,
                url,
                timeout=self.timeout,
                allow_redirects=False,
                stream=not read_body,
                **kwargs,
            )
            response.close()
            return response

    def follow(self, method, url):
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                response = self.request(method, url)
            except (requests.RequestException, ValueError) as error:
                return Answer(None, url, describe(error))
            if not response.is_redirect:
                return Answer(response.status_code, url)
            target = urljoin(url, response.headers["Location"])
            if urlsplit(target).scheme not in ("http", "https"):
                return Answer(response.status_code, url, "redirected to a non-web address")
            url = target
        return Answer(response.status_code, url, "too many redirects")

    def check(self, url):
        """HEAD, then GET when the HEAD is refused (405, 501...) or answered with any other
        error: some servers answer HEAD badly and GET well."""
        answer = self.follow("HEAD", url)
        if answer.answered and answer.status >= 400 and answer.status not in GONE:
            return self.follow("GET", url)
        return answer

    def reaches(self, url):
        """Whether any HTTP answer comes from `url`: whatever it says, the connection works."""
        try:
            self.request("HEAD", url)
        except (requests.RequestException, ValueError):
            return False
        return True

"""The Internet Archive's Wayback Machine: the copy it already holds of a page (its availability
API), and a new capture of a page (Save Page Now 2), which needs the site's archive.org keys."""

import datetime

import requests
from django.conf import settings


def credentials():
    if settings.WAYBACK_ACCESS_KEY and settings.WAYBACK_SECRET_KEY:
        return f"LOW {settings.WAYBACK_ACCESS_KEY}:{settings.WAYBACK_SECRET_KEY}"
    return None


def can_capture():
    return credentials() is not None


def snapshot_time(timestamp):
    """ "20130919044612" as an aware datetime (the Wayback Machine's times are UTC)."""
    return datetime.datetime.strptime(timestamp, "%Y%m%d%H%M%S").replace(
        tzinfo=datetime.timezone.utc
    )


def closest_snapshot(fetcher, url):
    """(address of the copy, when it was made) of the latest working copy of `url`, or None
    when there is none; raises LookupError when the archive gave no usable answer."""
    try:
        response = fetcher.request(
            "GET", settings.WAYBACK_AVAILABILITY_URL, read_body=True, params={"url": url}
        )
        response.raise_for_status()
        closest = response.json().get("archived_snapshots", {}).get("closest") or {}
    except (requests.RequestException, ValueError, AttributeError) as error:
        raise LookupError(f"availability lookup failed: {error}"[:200]) from error
    if not closest.get("available") or not str(closest.get("status", "200")).startswith("2"):
        return None
    try:
        address, archived_at = closest["url"], snapshot_time(closest["timestamp"])
    except (KeyError, TypeError, ValueError) as error:
        raise LookupError(f"unexpected availability answer: {closest}"[:200]) from error
    # Shown to readers as a link: a web address, nothing else.
    if not isinstance(address, str) or not address.startswith(("http://", "https://")):
        raise LookupError(f"unexpected address of a copy: {address!r}"[:200])
    return address, archived_at


def request_capture(fetcher, url):
    """Ask Save Page Now to capture `url`; the capture itself takes minutes, and shows up in the
    availability API once done. Raises LookupError when the request was not accepted."""
    try:
        response = fetcher.request(
            "POST",
            settings.WAYBACK_SAVE_URL,
            read_body=True,
            data={"url": url},
            headers={"Accept": "application/json", "Authorization": credentials()},
        )
        response.raise_for_status()
        answer = response.json()
    except (requests.RequestException, ValueError) as error:
        raise LookupError(f"capture request failed: {error}"[:200]) from error
    if not isinstance(answer, dict) or not answer.get("job_id"):
        message = answer.get("message", answer) if isinstance(answer, dict) else answer
        raise LookupError(f"capture refused: {message}"[:200])
    return answer["job_id"]

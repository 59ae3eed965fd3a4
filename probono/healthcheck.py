"""The container's health check (the Dockerfile's HEALTHCHECK): exit 0 when /healthz answers 200.

It asks gunicorn on loopback under a host name Django accepts, the first of ALLOWED_HOSTS.
"""

import http.client
import os
import sys


def main():
    hosts = [host.strip().lstrip(".") for host in os.environ.get("ALLOWED_HOSTS", "").split(",")]
    host = next((host for host in hosts if host and host != "*"), "localhost")
    port = int(os.environ.get("PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connection.request("GET", "/healthz", headers={"Host": host})
        status = connection.getresponse().status
    except OSError as error:
        sys.exit(f"/healthz: {error}")
    finally:
        connection.close()
    if status != 200:
        sys.exit(f"/healthz: HTTP {status}")


if __name__ == "__main__":
    main()

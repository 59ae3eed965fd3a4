# The gunicorn processes behind Varnish (docs/edge.md), included by probono.vcl. Edit the
# addresses for your machines; `make edge-drill` writes a file of this name with its own ports
# into a folder it puts first in varnishd's vcl_path, so that this one is not read there.

# A gunicorn is sick once two of its last three answers to /healthz were not a 200 within
# 5 s (a refused connection fails at once; a busy gunicorn may take seconds to get to it):
# /healthz runs a query, so a gunicorn that lost its database is sick too. Varnish then
# sends nothing to it, and serves what it has when both are sick (probono.vcl: grace).
probe healthz {
    # The Host must be one of ALLOWED_HOSTS, or Django answers 400.
    .request =
        "GET /healthz HTTP/1.1"
        "Host: localhost"
        "Connection: close";
    .interval = 1s;
    .timeout = 5s;
    .window = 3;
    .threshold = 2;
    .initial = 2;
}

# first_byte_timeout: past gunicorn's own timeout (GUNICORN_TIMEOUT, 30 s by default), so
# that gunicorn, not Varnish, ends a slow request. between_bytes_timeout: an export streams.
backend gunicorn_1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
    .between_bytes_timeout = 60s;
}

backend gunicorn_2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = healthz;
    .connect_timeout = 2s;
    .first_byte_timeout = 35s;
    .between_bytes_timeout = 60s;
}

# One after the other, skipping a sick one; probono.vcl sends every request to `gunicorn`.
sub vcl_init {
    new gunicorn = directors.round_robin();
    gunicorn.add_backend(gunicorn_1);
    gunicorn.add_backend(gunicorn_2);
}

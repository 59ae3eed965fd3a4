# Varnish in front of the directory's gunicorn processes (docs/edge.md), for Debian's varnish
# (7.1) and varnish-modules (xkey, var). Run it with this folder in vcl_path, e.g.
#   varnishd -a :6081 -f /srv/probono/ops/varnish/probono.vcl \
#     -p vcl_path=/srv/probono/ops/varnish -s malloc,1g
# `make edge-drill` runs this very file, with a backends.vcl of its own.
#
# What Django asks of a shared cache, and this file does:
# - keep what says `s-maxage` and nothing else (no private, no-store, cookie or Vary: Cookie);
# - index it by its Surrogate-Key, which Django purges after each committed write;
# - never keep a page rendered before the newest purge (X-Data-Version);
# - never serve staff (a session cookie) from the cache;
# - serve what it has for up to a day when every gunicorn is down.
vcl 4.1;

import directors;
import std;
import var;
import xkey;

# The backends and the round-robin director `gunicorn`.
include "backends.vcl";

# Who may purge: the machines Django runs on. Loopback by default, for Varnish on the same
# machine as gunicorn; add the application servers' addresses when it runs on its own.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        call purge_by_keys;
    }
    # Methods HTTP does not know (BAN, TRACE...) have no business with the directory.
    if (req.method !~ "^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$") {
        return (synth(405, "Method Not Allowed"));
    }
    set req.backend_hint = gunicorn.backend();
    # Objects are purged whenever their content changes, so one past its s-maxage is still
    # current: while a gunicorn is up, serve it at most 10 s more while it is fetched again.
    # When both are sick, serve it for as long as it asked (stale-if-error, a day): readers
    # get the directory as it was rather than an error.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    # Writes reach Django, never the cache.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    call clean_url;
    # Staff see the pages as they are now, with their tools: never a shared copy. Other
    # cookies (the CSRF token) do not stop a lookup, and reach Django with the request.
    if (req.http.Cookie ~ "(^|;\s*)__Host-sessionid=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Django sends Vary: Accept-Language, but a page's language is its path's (/fr/...), and
    # the directory speaks two: one variant per language, not one per browser's header. The
    # reader's first choice decides, as it does for the few addresses outside /fr/.
    if (req.http.Accept-Language ~ "^\s*fr\b") {
        set req.http.Accept-Language = "fr";
    } else {
        set req.http.Accept-Language = "en";
    }
    # The finder's in-place update asks for its fragment with this header; any other value
    # gets the whole page, so it must not split the cache.
    if (req.http.X-Requested-With != "finder") {
        unset req.http.X-Requested-With;
    }
    return (hash);
}

# PURGE / with `xkey-purge: <keys>` and `X-Data-Version: <version after the write>`, sent by
# Django after each committed write: 200 with the number of objects removed.
sub purge_by_keys {
    if (client.ip !~ purgers) {
        return (synth(403, "Forbidden"));
    }
    if (!req.http.xkey-purge) {
        return (synth(400, "No xkey-purge header"));
    }
    # The version first, then the purge: a page rendered before this write that arrives in
    # between is refused by the version, one that arrived before is removed by the purge.
    var.set("version", req.http.X-Data-Version);
    call compare_with_purged_version;
    if (var.get("newer") == "yes") {
        var.global_set("purged-version", req.http.X-Data-Version);
    }
    set req.http.purged = xkey.purge(req.http.xkey-purge);
    return (synth(200, "Purged " + req.http.purged));
}

# One address per view: the finder's canonical URLs have no empty parameters, and tracking
# parameters change nothing on a page. Django gets the cleaned URL; vcl_hash sorts it.
sub clean_url {
    if (req.url ~ "\?") {
        set req.url = regsuball(
            req.url, "(?i)(?<=[?&])(utm_[^=&]*|fbclid|gclid|mc_cid|mc_eid)(=[^&]*)?(&|$)", "");
        set req.url = regsuball(req.url, "(?<=[?&])[^=&]+=(&|$)", "");
        set req.url = regsuball(req.url, "&{2,}", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
}

sub vcl_hash {
    # Two orders of the same parameters are one object (std.querysort).
    hash_data(std.querysort(req.url));
    if (req.http.Host) {
        hash_data(req.http.Host);
    } else {
        hash_data(server.ip);
    }
    # Pages print their scheme in their links (behind a proxy that ends TLS).
    hash_data(req.http.X-Forwarded-Proto);
    if (req.http.X-Requested-With == "finder") {
        hash_data("finder");
    }
    return (lookup);
}

sub vcl_backend_response {
    # A refresh of an object in grace that fails: keep serving the object.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Only what Django means a shared cache to keep.
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control !~ "(^|,)\s*s-maxage=\d+"
        || beresp.http.Cache-Control ~ "(?i)(^|,)\s*(private|no-store|no-cache)\b"
        || beresp.http.Vary ~ "(?i)(^|,)\s*(cookie|\*)\s*(,|$)") {
        call not_kept;
    }
    # A redirect to another spelling of the same query (another order) would be served, under
    # the sorted key, to the very address it points to: a loop.
    if (beresp.status >= 300 && beresp.status < 400 && bereq.url ~ "\?") {
        call not_kept;
    }
    # A page rendered before the newest purge may show what that write changed, and arrived
    # after the purge that would have removed it: send it on, do not keep it.
    var.set("version", beresp.http.X-Data-Version);
    call compare_with_purged_version;
    if (var.get("older") != "no") {
        call not_kept;
    }
    set beresp.http.xkey = beresp.http.Surrogate-Key;
    unset beresp.http.Surrogate-Key;
    # How long it may be served while every gunicorn is down (vcl_recv sets less otherwise).
    set beresp.grace = std.duration(
        regsub(beresp.http.Cache-Control, "^.*\bstale-if-error=(\d+).*$", "\1s"), beresp.grace);
    return (deliver);
}

sub vcl_backend_error {
    # A refresh of an object in grace that cannot reach gunicorn: keep serving the object.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
    # A gunicorn that died since its last probe: ask the next one, once, before an error.
    # Only reads: a write that timed out may have been done.
    if (bereq.retries == 0 && bereq.method ~ "^(GET|HEAD)$") {
        return (retry);
    }
}

# Hit-for-miss for a minute: the next requests go to Django, uncoalesced, and the first
# answer that may be kept is.
sub not_kept {
    set beresp.uncacheable = true;
    set beresp.ttl = 60s;
    return (deliver);
}

# Data versions outgrow VCL's integers (15 digits): Django may start them at the time in
# nanoseconds. So compare the digits as two integers, all but the last 12, then the last 12.
# In: var "version". Out: var "newer" and "older", "yes" or "no" against the highest version
# purged so far; both "unknown" when "version" is not a number.
sub compare_with_purged_version {
    var.set("purged", var.global_get("purged-version"));
    if (var.get("purged") !~ "^\d{1,27}$") {
        var.set("purged", "0");
    }
    var.set("newer", "unknown");
    var.set("older", "unknown");
    if (var.get("version") ~ "^\d{1,27}$") {
        var.set_int("version-high", std.integer(regsub(var.get("version"), "^(\d*?)\d{0,12}$", "\1"), 0));
        var.set_int("version-low", std.integer(regsub(var.get("version"), "^\d*?(\d{0,12})$", "\1"), 0));
        var.set_int("purged-high", std.integer(regsub(var.get("purged"), "^(\d*?)\d{0,12}$", "\1"), 0));
        var.set_int("purged-low", std.integer(regsub(var.get("purged"), "^\d*?(\d{0,12})$", "\1"), 0));
        var.set("newer", "no");
        var.set("older", "no");
        if (var.get_int("version-high") > var.get_int("purged-high")
            || (var.get_int("version-high") == var.get_int("purged-high")
                && var.get_int("version-low") > var.get_int("purged-low"))) {
            var.set("newer", "yes");
        }
        if (var.get_int("version-high") < var.get_int("purged-high")
            || (var.get_int("version-high") == var.get_int("purged-high")
                && var.get_int("version-low") < var.get_int("purged-low"))) {
            var.set("older", "yes");
        }
    }
}

sub vcl_deliver {
    # For Varnish only: readers need not know how pages are indexed and versioned.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.X-Data-Version;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}

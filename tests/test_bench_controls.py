"""The benchmark's control views (bench/), which exist only with BENCHMARK=true."""

import pytest
from django.template.loader import render_to_string


@pytest.fixture
def bench_app(settings):
    """The bench app installed, as BENCHMARK=true does, without its URLs or its table."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "bench"]


def test_it_answers_the_plaintext_control(bench_app, rf):
    from bench.views import plaintext

    response = plaintext(rf.get("/bench/plaintext/"))
    assert response.status_code == 200
    assert response.content == b"Hello, World!"
    assert response["Content-Type"] == "text/plain"
    # A control that the page cache could answer would measure nothing.
    assert "no-store" in response["Cache-Control"]


def test_it_adds_the_fortune_of_the_request_and_sorts_by_message(bench_app):
    from bench.models import Fortune
    from bench.views import ADDITIONAL_FORTUNE, sorted_fortunes

    stored = [Fortune(id=2, message="b"), Fortune(id=1, message="C"), Fortune(id=3, message="<a")]
    fortunes = sorted_fortunes(stored)
    assert [fortune.message for fortune in fortunes] == ["<a", ADDITIONAL_FORTUNE, "C", "b"]
    assert fortunes[1].id == 0


def test_it_renders_fortunes_escaped_in_a_table(bench_app):
    from bench.models import Fortune

    fortunes = [
        Fortune(id=11, message='<script>alert("x");</script>'),
        Fortune(id=12, message="ベ"),
    ]
    html = render_to_string("bench/fortunes.html", {"fortunes": fortunes})
    assert "<tr><td>11</td><td>&lt;script&gt;alert(&quot;x&quot;);&lt;/script&gt;</td></tr>" in html
    assert "<tr><td>12</td><td>ベ</td></tr>" in html
    assert "<script>" not in html


@pytest.mark.parametrize("path", ["/bench/plaintext/", "/bench/fortunes/"])
def test_it_has_no_control_views_without_the_benchmark_setting(client, db, path):
    assert client.get(path).status_code == 404

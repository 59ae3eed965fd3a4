# Production image: gunicorn (gunicorn.conf.py) serving the directory, static files through
# WhiteNoise. Lint: `make lint-docker` (hadolint, settings in .hadolint.yaml).
FROM python:3.11.14-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY probono/ probono/
COPY initiatives/ initiatives/
COPY networks/ networks/
RUN python -m venv /venv && /venv/bin/pip install -c constraints.txt .
# The French interface, compiled as `make install` does (the .mo files are not in the repository).
COPY locale/ locale/
RUN /venv/bin/pybabel compile --statistics --directory locale --domain django

FROM python:3.11.14-slim-bookworm
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=false PORT=8000
RUN useradd --system --uid 10001 --user-group --home-dir /app probono
WORKDIR /app
COPY --from=build /venv /venv
COPY manage.py gunicorn.conf.py ./
COPY probono/ probono/
COPY initiatives/ initiatives/
COPY networks/ networks/
COPY templates/ templates/
COPY static/ static/
COPY fixtures/ fixtures/
COPY --from=build /app/locale/ locale/
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input
USER 10001:10001
# Plain HTTP for a buffering proxy on the same host or network, never for the internet itself:
# nginx with ops/nginx/probono.conf (docs/operations.md: The front).
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-m", "probono.healthcheck"]
CMD ["gunicorn", "--config", "gunicorn.conf.py"]

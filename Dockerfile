# Production image: gunicorn serving the directory, static files through WhiteNoise.
FROM python:3.11.14-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml constraints.txt ./
COPY probono/ probono/
COPY initiatives/ initiatives/
COPY networks/ networks/
RUN python -m venv /venv && /venv/bin/pip install -c constraints.txt .

FROM python:3.11.14-slim-bookworm
ENV PATH=/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=false
RUN useradd --system --uid 10001 --home-dir /app probono
WORKDIR /app
COPY --from=build /venv /venv
COPY manage.py ./
COPY probono/ probono/
COPY initiatives/ initiatives/
COPY networks/ networks/
COPY templates/ templates/
COPY static/ static/
COPY fixtures/ fixtures/
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input
USER probono
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/', timeout=4)"]
CMD ["gunicorn", "probono.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

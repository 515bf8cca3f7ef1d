# Pilot'IAE: one image for the web server, the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=iae.settings.production

# WeasyPrint renders PDF with Pango; fonts for the bilans.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
RUN pip install --no-cache-dir uv
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
# collectstatic needs settings but no real secret nor mail server: throwaway ones for this build step only.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" EMAIL_URL="dummy://" \
    python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 pilotiae && mkdir -p /app/var/media && chown -R pilotiae /app/var
USER pilotiae
EXPOSE 8000
CMD ["gunicorn", "iae.wsgi:application", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]

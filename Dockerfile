# The production image: one image for web (gunicorn), worker, beat and the one-shot migrate service.
# Build: docker build -t disengage . — no secret is baked in; everything comes from the environment at run time.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint's system libraries (Pango, HarfBuzz, fontconfig) and a font; pg_isready for the entrypoint;
# gettext to compile translations; curl for the health checks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core \
        postgresql-client gettext curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app
# From the lock file: every package pinned with its hashes, as CI tested it.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY --chown=app:app . .

# Static files and translations are built into the image. Production settings refuse to start without their
# secrets, so this one step gets throwaway values that exist only for it: they are not ENV, not in the image,
# and the all-zero encryption key never encrypts anything.
RUN export DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost PUBLIC_BASE_URL=https://build.invalid \
        DATABASE_URL=postgres://build@localhost/build CELERY_BROKER_URL=redis://localhost:6379/0 \
        DJANGO_FIELD_ENCRYPTION_KEYS=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= \
        DJANGO_NATIONAL_NUMBER_INDEX_KEY=build-only \
    && python manage.py collectstatic --noinput \
    && python manage.py compilemessages \
    && mkdir -p /app/var/media /app/var/mail \
    && chown -R app:app /app/var

USER app
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "config.wsgi:application", "--config", "docker/gunicorn.conf.py"]

# The production image: one image for web (gunicorn), worker, beat and migrate.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext: compilemessages below (the .mo files are not in git). Pango and the
# Noto fonts: WeasyPrint renders release PDFs with Georgian and Armenian glyphs.
# ffmpeg: the archive's video posters, durations and resolutions.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core ffmpeg \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Installed as the Makefile does: XStatic-Bootstrap's setup.py needs
# pkg_resources, so it builds without isolation against setuptools<81.
COPY requirements.txt ./
RUN pip install "setuptools<81" wheel \
    && pip install --no-build-isolation -r requirements.txt

COPY . .

# Fixed paths inside the container; docker-compose.yml mounts the volumes here.
ENV DJANGO_SETTINGS_MODULE=prapp.settings.production \
    PRAPP_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# Production settings refuse to load without their secrets; these build-time
# values exist only for this one command and are not kept in the image.
RUN SECRET_KEY=build-time-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    sh -c "python manage.py compilemessages -v 0 \
        && python manage.py collectstatic --no-input -v 0" \
    && rm -f /tmp/build.sqlite3

RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /app/var /data/media \
    && chown -R app:app /app/var /data/media
USER app

EXPOSE 8000
CMD ["gunicorn", "prapp.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]

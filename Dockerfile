# Think Child: one image for the web server and the delivery worker (compose.yaml runs both,
# with PostgreSQL). Production needs DATABASE_URL (postgresql+psycopg://...), SECRET_KEY and
# AUDIT_KEY: it refuses to start without them.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    ENVIRONMENT=production PORT=8000 \
    OUTBOX_DIR=/data/outbox PDF_CACHE_DIR=/data/pdf-cache

# Pango and fonts for PDF referrals (WeasyPrint); curl for the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 fonts-dejavu-core fonts-liberation curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml alembic.ini ./
COPY app ./app
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
# Editable, so the app finds templates/ and static/ beside it in /app.
RUN pip install -e . && python -m app.assets

RUN useradd --system --uid 10001 --home /app thinkchild \
 && mkdir -p /data && chown thinkchild /data
USER thinkchild
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${PORT}/healthz" || exit 1

# Set DATABASE_URL, SECRET_KEY and AUDIT_KEY (each key 32+ random characters) when running:
# production refuses to start without them, or with the development demo accounts in its
# database. The web server; the delivery worker is a second container from the same image:
#   docker run ... thinkchild python -m app.worker      (compose.yaml does both)
# X-Forwarded-For is believed only from FORWARDED_ALLOW_IPS (your TLS proxy's address);
# unset, from no one.
CMD ["sh", "-c", "alembic upgrade head && if [ -n \"$FORWARDED_ALLOW_IPS\" ]; then set -- --proxy-headers --forwarded-allow-ips \"$FORWARDED_ALLOW_IPS\"; else set -- --no-proxy-headers; fi && exec uvicorn app.main:app --host 0.0.0.0 --port ${PORT} \"$@\" --no-server-header"]

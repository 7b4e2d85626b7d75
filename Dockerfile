# Think Child: one image for the web server (and, later, the delivery worker).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    ENVIRONMENT=production DATABASE_URL=sqlite:////data/thinkchild.db PORT=8000

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

# Set SECRET_KEY and AUDIT_KEY (each 32+ random characters) when running: production refuses to
# start without them, or with the development demo accounts in its database.
# The web server. Run the delivery worker as a second container from the same image:
#   docker run ... thinkchild python -m app.worker
CMD ["sh", "-c", "alembic upgrade head && exec uvicorn app.main:app --host 0.0.0.0 --port ${PORT} --proxy-headers --no-server-header"]

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/dealgram.db
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY core core
COPY bot bot
COPY migrations migrations
RUN pip install --no-cache-dir ".[redis]" \
    && useradd --create-home --uid 1000 dealgram \
    && mkdir /data && chown dealgram /data
USER dealgram
VOLUME /data
# migrations are applied at start
CMD ["python", "-m", "bot"]

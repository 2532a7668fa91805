FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/dealgram.db
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY core core
COPY bot bot
COPY migrations migrations
# the app runs from /app: its bytecode is compiled here, once (PYTHONDONTWRITEBYTECODE keeps it from being written
# at run time, so without this every start would compile the sources again)
RUN pip install --no-cache-dir ".[redis]" \
    && python -m compileall -q core bot migrations \
    && useradd --create-home --uid 1000 dealgram \
    && mkdir /data && chown dealgram /data
USER dealgram
VOLUME /data
# migrations are applied at start
CMD ["python", "-m", "bot"]

#!/usr/bin/env bash
# Pre-release only: rebuild the single initial migration from the models on a scratch SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f migrations/versions/*.py
INSTANCE_DIR="$tmp" FLASK_APP=wsgi.py .venv/bin/flask db migrate -m "${1:-Grundschema}" >/dev/null
sed -i 's/^from alembic import op$/from alembic import op/' migrations/versions/*.py
ls migrations/versions/

"""Read models whose tables changed shape since they were built are rebuilt from the log.

Each read model's table declarations are fingerprinted and the fingerprint kept
beside them. When a new release declares a column more (or fewer), the old
tables cannot take its rows: they are dropped, recreated, and the model's
tracking position is cleared, so its followers rebuild it from the first event.
"""

import hashlib
import json

from projections.read_model import ReadModel
from projections.rebuild import tracking_table
from projections.view import retried

SCHEMAS_TABLE = "read_model_schemas"


def fingerprint(model: ReadModel) -> str:
    declared = [[t.name, t.columns, list(t.indexes)] for t in model.tables]
    return hashlib.sha256(json.dumps(declared).encode()).hexdigest()


def rebuild_if_reshaped(model: ReadModel) -> bool:
    """Returns True if the model's tables were reset to be rebuilt."""
    view = model.view
    schemas = view.qualified(SCHEMAS_TABLE)
    retried(lambda: view.run_all([f"CREATE TABLE IF NOT EXISTS {schemas} "
                                  "(name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL)"]))
    current = fingerprint(model)
    stored = view.read(f"SELECT fingerprint FROM {schemas} WHERE name = '{model.name}'")
    if stored and stored[0]["fingerprint"] == current:
        return False
    retried(lambda: view.run_all(
        [f"DROP TABLE IF EXISTS {view.qualified(t.name)}" for t in model.tables]
        # The library keeps a row of its own in the tracking table: leave it.
        + [f"DELETE FROM {tracking_table(view)} WHERE application_name <> "
           f"'{view.table_migration_identifier}'",
           f"DELETE FROM {schemas} WHERE name = '{model.name}'",
           f"INSERT INTO {schemas} (name, fingerprint) VALUES ('{model.name}', '{current}')"]))
    view.bind(model.tables, "")
    return True

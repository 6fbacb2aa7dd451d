"""Rows edited behind kolpact's back, with plain SQL on the SQLite file or PostgreSQL schema."""

from typing import Any

from application.bootstrap import Services


class Tamper:
    """Edits stored rows directly, the way an insider with database access could."""

    def __init__(self, services: Services) -> None:
        self.database = services.database
        self.position = "rowid" if self.database.is_sqlite else "notification_id"

    def run(self, statement: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self.database.transaction() as sql:
            return sql.run(statement, params)

    def events(self, application: str) -> str:
        return self.database.table(f"{application}_events")

    def row(self, application: str, position: int) -> dict[str, Any]:
        (row,) = self.run(f"SELECT originator_id, originator_version, topic, state FROM "
                          f"{self.events(application)} WHERE {self.position} = %s", (position,))
        return row

    def alter(self, application: str, position: int) -> None:
        state = bytes(self.row(application, position)["state"])
        self.run(f"UPDATE {self.events(application)} SET state = %s WHERE {self.position} = %s",
                 (state.replace(b'"reason":null', b'"reason":"backdated"'), position))

    def delete(self, application: str, position: int) -> None:
        self.run(f"DELETE FROM {self.events(application)} WHERE {self.position} = %s",
                 (position,))

    def delete_link(self, application: str, position: int) -> None:
        self.run(f"DELETE FROM {self.database.table('event_chain')} WHERE application = %s "
                 "AND position = %s", (application, position))

    def insert_copy(self, application: str, position: int, version: int) -> None:
        self.run(f"INSERT INTO {self.events(application)} (originator_id, originator_version, "
                 f"topic, state) SELECT originator_id, %s, topic, state FROM "
                 f"{self.events(application)} WHERE {self.position} = %s", (version, position))

    def swap_versions(self, application: str, first: int, second: int) -> None:
        """Two events of one aggregate trade places in its history."""
        table, v1, v2 = (self.events(application), self.row(application, first),
                         self.row(application, second))
        for position, version in ((first, -1), (second, v1["originator_version"]),
                                  (first, v2["originator_version"])):
            self.run(f"UPDATE {table} SET originator_version = %s WHERE {self.position} = %s",
                     (version, position))

    def last_position(self, application: str) -> int:
        (row,) = self.run(f"SELECT MAX({self.position}) AS last FROM {self.events(application)}")
        return int(row["last"])

"""Builds kolpact's applications for one store, wired together, and closes them."""

from dataclasses import dataclass

import psycopg
from eventsourcing.application import Application
from psycopg import sql

from application.clock import Clock, SystemClock
from application.contracts import ContractsApp
from application.creators import CreatorsApp
from application.idempotency import IdempotencyStore
from application.identity import IdentityApp
from application.lists import Lists
from application.settings import Settings
from application.sql import SqlDatabase
from projections.registry import ReadModels


@dataclass
class Services:
    settings: Settings
    identity: IdentityApp
    creators: CreatorsApp
    contracts: ContractsApp
    database: SqlDatabase
    idempotency: IdempotencyStore
    read_models: ReadModels | None  # None for the in-memory store
    lists: Lists | None

    def check_database(self) -> None:
        """Raises if the store cannot be reached."""
        with self.database.transaction() as statements:
            statements.run("SELECT 1")

    def applications(self) -> dict[str, Application]:
        return {app.name: app for app in (self.identity, self.creators, self.contracts)}

    def close(self) -> None:
        if self.read_models is not None:
            self.read_models.close()
        for app in (self.contracts, self.creators, self.identity):
            app.close()
        self.database.close()


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    """Creates missing tables too, so a fresh store is ready to use."""
    prepare_store(settings)
    env = settings.persistence_env()
    identity, creators, contracts = IdentityApp(env), CreatorsApp(env), ContractsApp(env)
    contracts.creators, contracts.identity = creators, identity
    for app in (identity, creators, contracts):
        app.clock = clock or SystemClock()
    database = SqlDatabase.for_settings(settings)
    idempotency = IdempotencyStore(database)
    idempotency.create_table()
    read_models = None
    if settings.backend != "memory":
        read_models = ReadModels(settings, {a.name: a for a in (identity, creators, contracts)})
    return Services(settings, identity, creators, contracts, database, idempotency,
                    read_models, None if read_models is None else Lists(read_models))


def prepare_store(settings: Settings) -> None:
    """Makes the SQLite file's folder or the PostgreSQL schema the tables go in."""
    if settings.backend == "sqlite":
        settings.sqlite_path().parent.mkdir(parents=True, exist_ok=True)
    elif settings.backend == "postgres" and settings.postgres_schema() != "public":
        env = settings.persistence_env()
        with psycopg.connect(dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"],
                             port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
                             password=env["POSTGRES_PASSWORD"], autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                sql.Identifier(settings.postgres_schema())))

"""The yardstick: a plain Flask + psycopg-pool app doing the same work as kolpact's
contract endpoints, without events, history or read models.

It validates the same JSON with marshmallow, checks a bearer token, writes one row,
reads one row by id within the caller's brand and lists 50 newest-first. Tokens are
kept in memory (loaded at start): what a small CRUD service with static API keys does.

Served by bench/api_vs_crud.py:  gunicorn -w 2 'bench.crud_app:create_app()'
with BENCH_CRUD_DSN naming the database. Not part of the product.
"""

import hmac
import json
import os
import uuid
from typing import Any

from flask import Flask, Response, g, request
from marshmallow import Schema, ValidationError, fields, validate
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

DDL = """
CREATE TABLE IF NOT EXISTS crud_contracts (
    id uuid PRIMARY KEY,
    brand_id uuid NOT NULL,
    creator_id uuid NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    terms jsonb NOT NULL,
    version int NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now());
CREATE INDEX IF NOT EXISTS crud_contracts_brand ON crud_contracts (brand_id, created_at DESC, id);
CREATE TABLE IF NOT EXISTS crud_tokens (token text PRIMARY KEY, brand_id uuid NOT NULL);
"""


class Money(Schema):
    amount = fields.Integer(required=True, validate=validate.Range(min=0))
    currency = fields.String(required=True, validate=validate.Length(equal=3))


class Deliverable(Schema):
    key = fields.String(required=True)
    kind = fields.String(required=True)
    platform = fields.String(required=True)
    due_date = fields.Date(required=True)
    spec = fields.Dict(load_default=dict)


class Milestone(Schema):
    key = fields.String(required=True)
    label = fields.String(required=True)
    amount = fields.Integer(required=True, validate=validate.Range(min=0))
    trigger = fields.String(required=True)
    deliverable_key = fields.String(load_default=None)


class Terms(Schema):
    fee = fields.Nested(Money, required=True)
    deliverables = fields.List(fields.Nested(Deliverable), required=True)
    milestones = fields.List(fields.Nested(Milestone), required=True)
    required_disclosures = fields.List(fields.String(), load_default=list)


class Draft(Schema):
    creator_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    terms = fields.Nested(Terms, required=True)


DRAFT = Draft()
LIMIT = fields.Integer(validate=validate.Range(min=1, max=200))


def problem(status: int, title: str, detail: Any = None) -> Response:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return Response(json.dumps(body), status, mimetype="application/problem+json")


def as_json(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "id": str(row["id"]), "brand_id": str(row["brand_id"]),
            "creator_id": str(row["creator_id"]), "created_at": row["created_at"].isoformat()}


def create_app() -> Flask:
    app = Flask(__name__)
    pool = ConnectionPool(os.environ["BENCH_CRUD_DSN"], min_size=4, max_size=4,
                          kwargs={"autocommit": True}, open=True)

    def rows(statement: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """One statement, autocommit: one round trip."""
        with pool.connection() as conn, conn.cursor(row_factory=dict_row) as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()

    tokens = {r["token"]: str(r["brand_id"])
              for r in rows("SELECT token, brand_id FROM crud_tokens")}

    @app.before_request
    def authenticate() -> Response | None:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ")
        brand = next((b for t, b in tokens.items() if hmac.compare_digest(t, sent)), None)
        if brand is None:
            return problem(401, "Unauthorized")
        g.brand_id = brand
        return None

    @app.post("/contracts")
    def draft() -> Response:
        try:
            body = DRAFT.load(request.get_json(force=True, silent=True) or {})
        except ValidationError as error:
            return problem(422, "Unprocessable Entity", error.messages)
        terms = DRAFT.dump(body)["terms"]
        (row,) = rows(
            "INSERT INTO crud_contracts (id, brand_id, creator_id, title, status, terms,"
            " version) VALUES (%s, %s, %s, %s, 'draft', %s, 1) RETURNING *",
            (uuid.uuid4(), g.brand_id, body["creator_id"], body["title"], json.dumps(terms)))
        return Response(json.dumps(as_json(row)), 201, mimetype="application/json")

    @app.get("/contracts/<contract_id>")
    def read(contract_id: str) -> Response:
        try:
            wanted = uuid.UUID(contract_id)
        except ValueError:
            return problem(404, "Not Found")
        found = rows("SELECT * FROM crud_contracts WHERE id = %s AND brand_id = %s",
                     (wanted, g.brand_id))
        if not found:
            return problem(404, "Not Found")
        return Response(json.dumps(as_json(found[0])), mimetype="application/json")

    @app.get("/contracts")
    def listed() -> Response:
        try:
            limit = LIMIT.deserialize(request.args.get("limit", "50"))
        except ValidationError as error:
            return problem(422, "Unprocessable Entity", error.messages)
        page = rows("SELECT * FROM crud_contracts WHERE brand_id = %s"
                    " ORDER BY created_at DESC, id LIMIT %s", (g.brand_id, limit))
        body = {"items": [as_json(r) for r in page], "next": None}
        return Response(json.dumps(body), mimetype="application/json")

    return app

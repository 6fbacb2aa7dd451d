"""Routes for simple commands: POST /<id>/<command> with a reason and an expected version."""

from collections.abc import Callable
from typing import Any

from marshmallow import Schema

from web.auth import allowed, current_actor
from web.blueprint import Blueprint
from web.versions import expected_version, versioned

# URL segment -> (use case method name, body schema, summary for the docs)
Commands = dict[str, tuple[str, type[Schema], str]]


def add_commands(blp: Blueprint, id_name: str, application: Callable[[], Any],
                 response: type[Schema], commands: Commands) -> None:
    for segment, (use_case, schema, summary) in commands.items():
        view = _command_view(application, use_case, summary)
        checked = allowed(_use_case(application, use_case))
        blp.route(f"/<{id_name}>/{segment}", methods=["POST"])(
            checked(blp.arguments(schema)(blp.response(200, response)(view))))


def _use_case(application: Callable[[], Any], name: str) -> Callable[[], Any]:
    return lambda: getattr(application(), name)


def _command_view(application: Callable[[], Any], use_case: str, summary: str) -> Any:
    def view(body: dict[str, Any], **ids: str) -> Any:
        (record_id,) = ids.values()
        command = getattr(application(), use_case)
        return versioned(command(current_actor(), record_id, body["reason"],
                                 expected_version(body)))

    view.__name__, view.__doc__ = use_case, summary
    return view

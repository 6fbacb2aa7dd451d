"""The audit export: a zip an outside auditor can check without kolpact's database.

- `events.jsonl`: every event of a contract family as stored (its state as the
  exact stored text), with its position in its log, its link hash and the
  position and hash of the link before it, plus who, when and why.
- `report.html`: the same history for people, with the family's state and the
  chain check made at export time.
- `manifest.json`: what was exported, when and by whom, and the SHA-256 of the
  other two files. The SHA-256 of the manifest is the bundle's digest; kolpact
  records it, so a bundle can be matched to the export that produced it.
- `manifest.sig`: when the installation has a signing key, its Ed25519
  signature of the manifest (the manifest names the public key).

`verify_bundle` needs nothing but the file: it recomputes every link from the
event's content, ties links to each other where the predecessor is in the
bundle too, and checks that every aggregate's versions are all there.
"""

import hashlib
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from application.errors import ApplicationError
from application.infrastructure.event_chain import ChainedEvent, link_hash
from application.infrastructure.signing import Signer, signature_holds

FORMAT = "kolpact-audit-export/1"
EVENTS, REPORT, MANIFEST = "events.jsonl", "report.html", "manifest.json"
SIGNATURE = "manifest.sig"


@dataclass(frozen=True)
class Bundle:
    content: bytes  # the zip
    digest: str
    events: int


def event_line(event: ChainedEvent, link_hash_: str, previous_position: int | None,
               previous_hash: str, entry: dict[str, Any]) -> dict[str, Any]:
    """One event for events.jsonl; `entry` is its line in the family's trail."""
    line: dict[str, Any] = {
        "application": event.application, "position": event.position,
        "originator_id": event.originator_id, "originator_version": event.originator_version,
        "topic": event.topic, "previous_position": previous_position,
        "previous_hash": previous_hash, "hash": link_hash_,
        "event": entry.get("event"), "aggregate": entry.get("aggregate"),
        "time": entry.get("time"), "actor": entry.get("actor"),
        "actor_name": entry.get("actor_name"), "actor_roles": entry.get("actor_roles"),
        "reason": entry.get("reason"),
    }
    try:
        line["state"] = event.state.decode("utf-8")
    except UnicodeDecodeError:  # a compressed or encrypted store: keep the exact bytes
        line["state_hex"] = event.state.hex()
    return line


def pack(lines: list[dict[str, Any]], report_html: str, manifest: dict[str, Any],
         signer: Signer | None = None) -> Bundle:
    events = "".join(json.dumps(line, ensure_ascii=False, sort_keys=True, default=str) + "\n"
                     for line in lines).encode()
    report = report_html.encode()
    manifest = {**manifest, "format": FORMAT, "event_count": len(lines),
                "files": {EVENTS: _sha256(events), REPORT: _sha256(report)},
                "signed_by": signer.public_key if signer else None}
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2,
                                default=str).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest_bytes)
        archive.writestr(EVENTS, events)
        archive.writestr(REPORT, report)
        if signer is not None:
            archive.writestr(SIGNATURE, signer.sign(manifest_bytes))
    return Bundle(buffer.getvalue(), _sha256(manifest_bytes), len(lines))


@dataclass
class BundleCheck:
    digest: str | None = None
    signed_by: str | None = None  # the public key whose signature holds
    events: int = 0
    manifest: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    readable: bool = True  # False: not shaped like a kolpact audit export at all

    def unreadable(self, problem: str) -> "BundleCheck":
        self.problems.append(problem)
        self.readable = False
        return self

    @property
    def passed(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"passed": self.passed, "digest": self.digest, "events_checked": self.events,
                "contract_id": self.manifest.get("contract_id"),
                "exported_at": self.manifest.get("exported_at"),
                "signed_by": self.signed_by, "problems": self.problems}


def verify_bundle(content: bytes, trusted_keys: Iterable[str] = ()) -> BundleCheck:
    """Checks a bundle with nothing but its bytes; with `trusted_keys` (public keys the
    auditor got from the brand), also that one of them signed it."""
    check = BundleCheck()
    try:
        files = _members(content)
    except (zipfile.BadZipFile, KeyError, NotImplementedError, EOFError, OSError) as error:
        return check.unreadable(f"not a kolpact audit export: {error}")
    check.digest = _sha256(files[MANIFEST])
    try:
        manifest = json.loads(files[MANIFEST])
        texts = files[EVENTS].decode().splitlines()
        if len(texts) > MAX_LINES:
            raise BundleTooLarge(f"The bundle holds more than {MAX_LINES} event lines.")
        parsed = [json.loads(text) for text in texts]
    except (ValueError, RecursionError) as error:
        return check.unreadable(f"unreadable manifest or events: {error}")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict):
        return check.unreadable("the manifest is not a kolpact manifest (an object with "
                                "files)")
    check.manifest = manifest
    malformed = [n for n, line in enumerate(parsed, 1) if not _is_event_line(line)]
    if malformed:
        return check.unreadable(f"events.jsonl line {malformed[0]} is not an event line "
                                f"({len(malformed)} such lines)")
    lines = parsed
    if check.manifest.get("format") != FORMAT:
        check.problems.append(f"format is {check.manifest.get('format')!r}, not {FORMAT}")
    for name in (EVENTS, REPORT):
        if check.manifest.get("files", {}).get(name) != _sha256(files[name]):
            check.problems.append(f"{name} is not the file the manifest names (changed)")
    if check.manifest.get("event_count") != len(parsed):
        check.problems.append(f"the manifest lists {check.manifest.get('event_count')} "
                              f"events, the bundle holds {len(parsed)}")
    check.problems += _chain_problems(lines)
    check.problems += _signature_problems(check, files, list(trusted_keys))
    check.events = len(lines)
    return check


class BundleTooLarge(ApplicationError):
    """Raised when a bundle inflates beyond what a check reads (a zip bomb, or not ours)."""


# Inflated, a bundle is read at most this far: a small zip can inflate to gigabytes.
MAX_INFLATED_BYTES = 64 * 1024 * 1024
MAX_LINES = 500_000
LINE_FIELDS = {"application": str, "position": int, "originator_id": str,
               "originator_version": int, "topic": str, "previous_hash": str, "hash": str}


def _members(content: bytes) -> dict[str, bytes]:
    """The bundle's files, each read no further than the cap allows."""
    files, left = {}, MAX_INFLATED_BYTES
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = [MANIFEST, EVENTS, REPORT] + ([SIGNATURE] if SIGNATURE in
                                              archive.namelist() else [])
        for name in names:
            with archive.open(name) as member:
                files[name] = member.read(left + 1)
            left -= len(files[name])
            if left < 0:
                raise BundleTooLarge(f"The bundle inflates beyond {MAX_INFLATED_BYTES} bytes.")
    return files


def _is_event_line(line: Any) -> bool:
    if not isinstance(line, dict) or not all(
            isinstance(line.get(name), kind) and not isinstance(line.get(name), bool)
            for name, kind in LINE_FIELDS.items()):
        return False
    return isinstance(line.get("state"), str) or isinstance(line.get("state_hex"), str)


def _signature_problems(check: BundleCheck, files: dict[str, bytes],
                        trusted: list[str]) -> list[str]:
    key, signature = check.manifest.get("signed_by"), files.get(SIGNATURE)
    if signature is not None and isinstance(key, str) and key and signature_holds(
            key, signature.decode(errors="replace"), files[MANIFEST]):
        check.signed_by = key
    elif signature is not None or key:
        return ["the signature does not match the manifest (altered, or not signed by the "
                "key it names)"]
    if not trusted:
        return []
    if check.signed_by is None:
        return ["not signed, so not shown to come from a key you trust"]
    if check.signed_by not in trusted:
        return [f"signed by {check.signed_by}, which is not a key you trust"]
    return []


def _chain_problems(lines: list[dict[str, Any]]) -> list[str]:
    problems = []
    by_position = {(line["application"], line["position"]): line for line in lines}
    versions: dict[tuple[str, str], list[int]] = defaultdict(list)
    for line in sorted(lines, key=lambda x: (x["application"], x["position"])):
        where = (f"{line['application']}:{line['position']} (aggregate "
                 f"{line['originator_id']}, version {line['originator_version']})")
        try:
            state = (line["state"].encode() if "state" in line
                     else bytes.fromhex(line["state_hex"]))
            event = ChainedEvent.of(line["application"], line["position"],
                                    line["originator_id"], line["originator_version"],
                                    line["topic"], state)
        except (KeyError, ValueError, TypeError) as error:
            problems.append(f"{where}: unreadable line ({error})")
            continue
        if link_hash(line["previous_hash"], event) != line["hash"]:
            problems.append(f"{where}: its content does not match its hash (altered)")
        before = by_position.get((line["application"], line.get("previous_position")))
        if before is not None and before["hash"] != line["previous_hash"]:
            problems.append(f"{where}: does not follow from {line['application']}:"
                            f"{line['previous_position']} as its link says")
        versions[(line["application"], line["originator_id"])].append(
            line["originator_version"])
    for (application, aggregate_id), found in sorted(versions.items()):
        if sorted(found) != list(range(1, len(found) + 1)):
            problems.append(f"{application} aggregate {aggregate_id}: versions "
                            f"{sorted(found)} are not all of 1..{max(found)} (missing events)")
    return problems


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()

"""The human-readable page of an audit export (HTML, one self-contained file)."""

import json
from typing import Any

from jinja2 import Environment

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Audit export: {{ contract.title }}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .3em .5em; text-align: left;
         vertical-align: top; }
code, pre { font: 12px ui-monospace, monospace; }
.ok { color: #176c2e; } .broken { color: #b00020; font-weight: bold; }
</style></head><body>
<h1>Audit export: {{ contract.title }}</h1>
<p>Contract <code>{{ contract.id }}</code> (brand <code>{{ contract.brand_id }}</code>,
creator <code>{{ contract.creator_id }}</code>), status <b>{{ contract.status }}</b>.</p>
<p>Exported {{ manifest.exported_at }} by {{ manifest.exported_by }}.
{{ events|length }} events. Check this bundle offline with
<code>kolpact audit verify-export FILE</code>.</p>
<h2>Chain check at export</h2>
{% if check.passed %}<p class="ok">Every event of this family matched its link in the
store's hash chain ({{ check.events_checked }} checked).</p>
{% else %}<p class="broken">The store's hash chain is broken:</p><ul>
{% for b in check.breaks %}<li class="broken">{{ b.description }}</li>{% endfor %}</ul>
{% endif %}
{% if manifest.seal %}<p>Latest seal: {{ manifest.seal.sealed_at }}, root
<code>{{ manifest.seal.root }}</code>.</p>{% endif %}
<h2>At export</h2>
{% for name, records in state.items() %}{% if name != "contract" %}
<h3>{{ name|replace("_", " ") }} ({{ records|length }})</h3>
<ul>{% for r in records %}<li><code>{{ r.id }}</code> {{ r.key or r.kind or "" }}
{{ r.status or "" }}</li>{% endfor %}</ul>{% endif %}{% endfor %}
<h2>Terms in force</h2><pre>{{ terms }}</pre>
<h2>History</h2>
<table><tr><th>Time</th><th>Record</th><th>Event</th><th>Who</th><th>Why</th>
<th>What changed</th><th>Link</th></tr>
{% for e in events %}<tr><td>{{ e.time }}</td>
<td>{{ e.aggregate }} <code>{{ e.originator_id[:8] }}</code> v{{ e.originator_version }}</td>
<td>{{ e.event }}</td><td>{{ e.actor_name or e.actor }}
{% if e.actor_roles %}({{ e.actor_roles|join(", ") }}){% endif %}</td><td>{{ e.reason or "" }}</td>
<td>{% for line in e.terms_changes or e.diff %}<div><code>{{ line }}</code></div>
{% endfor %}</td>
<td><code title="{{ e.hash }}">{{ e.application }}:{{ e.position }}
{{ e.hash[:12] }}</code></td></tr>{% endfor %}
</table></body></html>
"""

_template = Environment(autoescape=True).from_string(TEMPLATE)


def render_report(manifest: dict[str, Any], check: dict[str, Any], state: dict[str, Any],
                  events: list[dict[str, Any]]) -> str:
    contract = state["contract"]
    terms = json.dumps(contract.get("terms"), ensure_ascii=False, indent=2, sort_keys=True,
                       default=str)
    return _template.render(manifest=manifest, check=check, state=state, contract=contract,
                            terms=terms, events=events)

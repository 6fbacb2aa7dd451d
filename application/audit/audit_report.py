"""The human-readable page of an audit export (HTML, one self-contained file): people by
name and role, money in its currency, the terms as text (the console's own wording)."""

import json
from typing import Any

from application.audit.family import People
from application.common.wording import environment

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
<dl>
<dt>Contract</dt><dd>{{ contract.title }} <code>{{ contract.id }}</code></dd>
<dt>Brand</dt><dd>{{ called(contract.brand_id) or contract.brand_id }}</dd>
<dt>Creator</dt><dd>{{ called(contract.creator_id) or "a creator" }}
  <code>{{ contract.creator_id }}</code></dd>
<dt>Status</dt><dd>{{ contract.status|words }}, terms version {{ contract.terms_version }}</dd>
<dt>Exported</dt><dd>{{ manifest.exported_at|when }}
  by {{ called(manifest.exported_by_id) or manifest.exported_by }}</dd>
</dl>
<p>{{ events|length }} events. Check this bundle offline with
<code>kolpact audit verify-export FILE</code>; times are in UTC.</p>
<h2>Chain check at export</h2>
{% if check.passed %}<p class="ok">Every event of this family matched its link in the
store's hash chain ({{ check.events_checked }} checked).</p>
{% else %}<p class="broken">The store's hash chain is broken:</p><ul>
{% for b in check.breaks %}<li class="broken">{{ b.description }}</li>{% endfor %}</ul>
{% endif %}
{% if manifest.seal %}<p>Latest seal: {{ manifest.seal.sealed_at|when }}, root
<code>{{ manifest.seal.root }}</code>.</p>{% endif %}
<h2>At export</h2>
<h3>Payouts ({{ state.payouts|length }})</h3>
{% if state.payouts %}<table><tr><th>Milestone</th><th>Amount</th><th>Status</th>
<th>Asked for by</th><th>Approved by</th><th>Reference</th></tr>
{% for p in state.payouts %}<tr><td>{{ p.milestone.label }}{% if p.bonus %} (bonus){% endif %}</td>
<td>{{ p.amount|money }}</td><td>{{ p.status|words }}{% if p.hold_reason %}:
{{ p.hold_reason }}{% endif %}</td><td>{{ called(p.requested_by) or "—" }}</td>
<td>{% for a in p.approved_by %}{{ called(a) }}{% if not loop.last %}, {% endif %}
{% else %}—{% endfor %}</td>
<td>{{ p.reference or "—" }}</td></tr>{% endfor %}</table>{% endif %}
{% for name in ("deliverables", "shipments", "usage_rights", "make_good_rules") %}
{% set records = state[name] %}
<h3>{{ name|words|capitalize }} ({{ records|length }})</h3>
{% if records %}<ul>{% for r in records %}<li>{{ r.key or "" }}
{% if "items" in r %}{{ r["items"]|length }} item(s){% endif %}
{{ r.status|words }}{% if r.due_date %}, due {{ r.due_date|day }}{% endif %}
<code>{{ r.id }}</code></li>{% endfor %}</ul>{% endif %}
{% endfor %}
<h2>Terms in force</h2>
{% include "readable/terms.html" %}
<details><summary>The same terms as recorded (amounts in minor units)</summary>
<pre>{{ terms_recorded }}</pre></details>
<h2>History</h2>
<table><tr><th>Time</th><th>Record</th><th>Event</th><th>Who</th><th>Why</th>
<th>What changed</th><th>Link</th></tr>
{% for e in events %}<tr><td>{{ e.time|when }}</td>
<td>{{ e.aggregate }} <code>{{ e.originator_id[:8] }}</code> v{{ e.originator_version }}</td>
<td>{{ e.event|event_words }}</td><td>{{ e.actor_name or e.actor }}
{% if e.actor_roles %}({{ e.actor_roles|join(", ") }}){% endif %}</td><td>{{ e.reason or "" }}</td>
<td>{% for line in e.terms_changes or e.diff %}<div><code>{{ named(line) }}</code></div>
{% endfor %}</td>
<td><code title="{{ e.hash }}">{{ e.application }}:{{ e.position }}
{{ e.hash[:12] }}</code></td></tr>{% endfor %}
</table></body></html>
"""

_template = environment().from_string(TEMPLATE)


def render_report(manifest: dict[str, Any], check: dict[str, Any], state: dict[str, Any],
                  events: list[dict[str, Any]], people: People) -> str:
    contract = state["contract"]
    terms_recorded = json.dumps(contract.get("terms"), ensure_ascii=False, indent=2,
                                sort_keys=True, default=str)
    return _template.render(manifest=manifest, check=check, state=state, contract=contract,
                            terms=contract.get("terms"), terms_recorded=terms_recorded,
                            events=events, level=3, called=people.called, named=people.named)

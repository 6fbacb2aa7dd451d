"""Make-goods board: every make-good rule with its window and outcome (legal), and the
worker's question "which armed rules have a closed window?" without reading the log.
"""

from eventsourcing.persistence import Tracking

from application.infrastructure.sql import Statements
from domain.make_good import MakeGoodRule, RuleStatus, window_closes
from projections.columns import insert, moment, stamped, update
from projections.read_model import ReadModel, on
from projections.view import Table


class MakeGoodsBoard(ReadModel):
    name = "make_goods_board"
    upstream = ("make_goods",)
    tables = (
        Table("make_goods_board",
              "rule_id TEXT PRIMARY KEY, brand_id TEXT NOT NULL, contract_id TEXT NOT NULL, "
              "creator_id TEXT NOT NULL, key TEXT NOT NULL, deliverable_key TEXT NOT NULL, "
              "metric TEXT NOT NULL, threshold BIGINT NOT NULL, window_days INTEGER NOT NULL, "
              "remedy TEXT NOT NULL, status TEXT NOT NULL, published_at TEXT, "
              "window_closes TEXT, reached BIGINT, remedy_detail TEXT, waive_reason TEXT, "
              "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL",
              ("brand_id, status, window_closes", "contract_id")),
    )

    @on(MakeGoodRule.Armed)
    def armed(self, event: MakeGoodRule.Armed, sql: Statements, at: Tracking) -> None:
        term = event.term
        insert(sql, "make_goods_board", {
            "rule_id": str(event.originator_id), "brand_id": event.brand_id,
            "contract_id": event.contract_id, "creator_id": event.creator_id, "key": term.key,
            "deliverable_key": term.deliverable_key, "metric": term.metric.value,
            "threshold": term.threshold, "window_days": term.window_days,
            "remedy": term.remedy.value, "status": RuleStatus.ARMED.value,
            "published_at": None, "window_closes": None, "reached": None,
            "remedy_detail": None, "waive_reason": None, "created_at": moment(event.timestamp),
            **stamped(event)})

    @on(MakeGoodRule.WindowOpened)
    def window_opened(self, event: MakeGoodRule.WindowOpened, sql: Statements,
                      at: Tracking) -> None:
        (row,) = sql.run("SELECT window_days FROM {make_goods_board} WHERE rule_id = %s",
                         [str(event.originator_id)])
        closes = window_closes(event.published_at, int(row["window_days"]))
        self._update(sql, event, published_at=moment(event.published_at),
                     window_closes=moment(closes))

    @on(MakeGoodRule.Evaluated)
    def evaluated(self, event: MakeGoodRule.Evaluated, sql: Statements, at: Tracking) -> None:
        status = RuleStatus.MET if event.met else RuleStatus.BREACHED
        self._update(sql, event, status=status.value, reached=event.figures.value)

    @on(MakeGoodRule.RemedyApplied)
    def remedied(self, event: MakeGoodRule.RemedyApplied, sql: Statements,
                 at: Tracking) -> None:
        self._update(sql, event, status=RuleStatus.REMEDY_APPLIED.value,
                     remedy_detail=event.detail)

    @on(MakeGoodRule.Waived)
    def waived(self, event: MakeGoodRule.Waived, sql: Statements, at: Tracking) -> None:
        self._update(sql, event, status=RuleStatus.WAIVED.value, waive_reason=event.reason)

    def _update(self, sql: Statements, event: MakeGoodRule.Event, **columns: object) -> None:
        update(sql, "make_goods_board", ("rule_id", str(event.originator_id)),
               columns | stamped(event))

"""Builds kolpact's applications for one store, wired together, and closes them."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from psycopg import sql

from application.audit.audit import AuditApp
from application.audit.family import Family
from application.campaigns.campaigns import CampaignsApp, CampaignSummaries
from application.common.clock import Clock, SystemClock
from application.common.kolpact_app import Basics, KolpactApplication
from application.common.people import People
from application.content.deliverables import DeliverablesApp
from application.content.shipments import ShipmentsApp
from application.content.tracked_links import TrackedLinks
from application.contracting.contracts import ContractsApp
from application.creators.creators import CreatorsApp
from application.creators.handover import Handovers
from application.creators.imports import CreatorImports
from application.distribution.disqualifications import Disqualifications
from application.distribution.programs import DistributionApp
from application.identity.accounts import IdentityApp
from application.infrastructure.idempotency_store import IdempotencyStore
from application.infrastructure.personal_data_vault import PersonalDataVault
from application.infrastructure.postgres_store import connect
from application.infrastructure.settings import Settings
from application.infrastructure.signing import Signer
from application.infrastructure.sql import SqlDatabase
from application.infrastructure.stripe_gateway import StripeGateway, stripe_client
from application.payments.payouts import PayoutsApp
from application.payments.reconciliation import Reconciliation
from application.payments.stripe_events import StripeWebhooks
from application.ports.payment_gateway import PaymentGateway
from application.reading.campaign_board import CampaignBoards
from application.reading.contract_parts import ContractParts
from application.reading.cooperation import CooperationRecords
from application.reading.lists import Lists
from application.reading.metrics_reports import MetricsReports
from application.reading.named_records import NamedRecords
from application.reading.programs import ProgramReports
from application.rights.make_goods import MakeGoodsApp
from application.rights.usage_rights import UsageRightsApp
from projections.catch_up import catch_up
from projections.reader import ReadModelReader
from projections.registry import ReadModels
from projections.set_aside import SetAside


@dataclass
class Applications:
    identity: IdentityApp
    creators: CreatorsApp
    contracts: ContractsApp
    deliverables: DeliverablesApp
    shipments: ShipmentsApp
    payouts: PayoutsApp
    usage_rights: UsageRightsApp
    make_goods: MakeGoodsApp
    audit: AuditApp
    campaigns: CampaignsApp
    distribution: DistributionApp

    def applications(self) -> dict[str, KolpactApplication]:
        return {app.name: app for app in (self.identity, self.creators, self.contracts,
                                          self.deliverables, self.shipments, self.payouts,
                                          self.usage_rights, self.make_goods, self.campaigns,
                                          self.distribution, self.audit)}


@dataclass
class Services(Applications):
    settings: Settings
    database: SqlDatabase
    idempotency: IdempotencyStore
    webhooks: StripeWebhooks
    reconciliation: Reconciliation
    contract_parts: ContractParts
    read_models: ReadModels | None  # None for the in-memory store
    lists: Lists | None
    tracked_links: TrackedLinks | None
    metrics: MetricsReports | None
    campaign_boards: CampaignBoards | None
    campaign_summaries: CampaignSummaries
    handovers: Handovers | None
    creator_imports: CreatorImports | None
    cooperation: CooperationRecords | None
    program_reports: ProgramReports | None
    disqualifications: Disqualifications | None

    def check_database(self) -> None:
        """Raises if the store cannot be reached."""
        with self.database.transaction() as statements:
            statements.run("SELECT 1")

    def policies(self) -> list[DeliverablesApp | PayoutsApp | UsageRightsApp | MakeGoodsApp]:
        """Applications that react to other applications' events."""
        return [self.deliverables, self.make_goods, self.payouts, self.usage_rights]

    def run_policies(self) -> int:
        """Lets every policy catch up with the logs it follows (what the workers do)."""
        apps = self.applications()
        set_aside = self.read_models.set_aside if self.read_models else None
        return sum(catch_up(policy, [apps[name] for name in policy.upstream],
                            set_aside=set_aside) for policy in self.policies())

    def close(self) -> None:
        if self.read_models is not None:
            self.read_models.close()
        for app in reversed(self.applications().values()):
            app.close()
        self.database.close()


def build_services(settings: Settings, clock: Clock | None = None,
                   gateway: PaymentGateway | None = None) -> Services:
    """Creates missing tables too, so a fresh store is ready to use. Payouts go through
    `gateway`, or Stripe when the settings name a key."""
    with one_at_a_time(settings):
        return _build(settings, clock, gateway or gateway_for(settings))


def gateway_for(settings: Settings) -> PaymentGateway | None:
    if settings.stripe_api_key is None:
        return None
    return StripeGateway(stripe_client(settings.stripe_api_key, settings.stripe_api_base))


@contextmanager
def one_at_a_time(settings: Settings) -> Iterator[None]:
    """Processes starting together (API, workers) would race to create the same tables:
    PostgreSQL's CREATE ... IF NOT EXISTS is not safe against that. They take turns."""
    if settings.backend != "postgres":
        prepare_store(settings)
        yield
        return
    with connect(settings) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext('kolpact start-up'))")
        try:
            prepare_store(settings)
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext('kolpact start-up'))")


def _build(settings: Settings, clock: Clock | None, gateway: PaymentGateway | None
           ) -> Services:
    database = SqlDatabase.for_settings(settings)
    vault = PersonalDataVault(database, settings.cipher_key)
    vault.create_table()
    time = clock or SystemClock()
    basics = Basics(settings.persistence_env(), time, vault)
    apps = _applications(settings, basics, database, gateway)
    idempotency = IdempotencyStore(database)
    idempotency.create_table()
    webhooks = StripeWebhooks(database, apps.payouts, settings.stripe_webhook_secret,
                              settings.stripe_webhook_tolerance)
    webhooks.create_table()
    reconciliation = Reconciliation(database, apps.payouts)
    reconciliation.create_table()
    parts = ContractParts(apps.contracts, apps.deliverables, apps.payouts, apps.usage_rights,
                          apps.make_goods)
    reading = _reading(settings, apps, database, time)
    return Services(apps.identity, apps.creators, apps.contracts, apps.deliverables,
                    apps.shipments, apps.payouts, apps.usage_rights, apps.make_goods,
                    apps.audit, apps.campaigns, apps.distribution, settings, database,
                    idempotency, webhooks, reconciliation, parts, reading.read_models,
                    reading.lists,
                    reading.tracked_links, reading.metrics, reading.campaign_boards,
                    CampaignSummaries(apps.campaigns, apps.contracts, apps.creators,
                                      lambda: apps.audit.family), reading.handovers,
                    reading.creator_imports, reading.cooperation, reading.program_reports,
                    reading.disqualifications)


@dataclass(frozen=True)
class Reading:
    """The read models and what reads them; none of it for the in-memory store."""

    read_models: ReadModels | None = None
    lists: Lists | None = None
    tracked_links: TrackedLinks | None = None
    metrics: MetricsReports | None = None
    campaign_boards: CampaignBoards | None = None
    handovers: Handovers | None = None
    creator_imports: CreatorImports | None = None
    cooperation: CooperationRecords | None = None
    program_reports: ProgramReports | None = None
    disqualifications: Disqualifications | None = None


def _reading(settings: Settings, apps: Applications, database: SqlDatabase,
             time: Clock) -> Reading:
    if apps.audit.chain is None:  # the in-memory store keeps no chain and no read models
        return Reading()
    for name in apps.applications():
        apps.audit.chain.adopt_unlinked(name)
    set_aside = SetAside(database)
    set_aside.create_table()
    read_models = ReadModels(settings, apps.applications(), set_aside,
                             policies=[apps.deliverables, apps.make_goods, apps.payouts,
                                       apps.usage_rights])
    tracked_links = TrackedLinks(database, read_models["tracked_links"].view,
                                 lambda: time.now().date().isoformat())
    tracked_links.create_table()
    named = NamedRecords(apps.applications())
    reader = ReadModelReader(read_models)
    lists = Lists(reader, reader, time, named)
    metrics = MetricsReports(reader, tracked_links, named)
    return Reading(read_models, lists, tracked_links, metrics,
                   CampaignBoards(reader, apps.campaigns, apps.contracts, time),
                   Handovers(apps.creators, lists),
                   CreatorImports(apps.creators, lists, reader,
                                  lambda: read_models.catch_up(["creators_directory"]),
                                  People(apps.applications())),
                   CooperationRecords(apps.creators, lists, metrics),
                   ProgramReports(reader, apps.distribution),
                   Disqualifications(apps.distribution, reader,
                                     lambda: read_models.catch_up(["distribution_ledger"])))


def _applications(settings: Settings, basics: Basics, database: SqlDatabase,
                  gateway: PaymentGateway | None) -> Applications:
    """Each application is built after the ones it reads, and given them. Where a link
    runs back (see `application.common.links`), a function returns the application
    built later: Python looks the name up when the function is called."""
    identity = IdentityApp(basics)
    creators = CreatorsApp(basics, identity=identity)
    contracts = ContractsApp(
        basics, creators=creators, identity=identity,
        open_items=lambda c: deliverables.open_deliverables(c) + payouts.unsettled(c),
        exclusivity_warnings=lambda draft: usage_rights.exclusivity_warnings(draft),
        integrity=None if settings.backend == "memory"
        else lambda c: audit.family_integrity(c), campaigns=lambda: campaigns)
    deliverables = DeliverablesApp(basics, contracts=contracts, shipments=lambda: shipments,
                                   make_goods=lambda: make_goods)
    shipments = ShipmentsApp(basics, contracts=contracts, deliverables=deliverables)
    payouts = PayoutsApp(basics, identity=identity, creators=creators, contracts=contracts,
                         deliverables=deliverables, make_goods=lambda: make_goods,
                         gateway=gateway)
    usage_rights = UsageRightsApp(basics, contracts=contracts, deliverables=deliverables,
                                  make_goods=lambda: make_goods)
    make_goods = MakeGoodsApp(basics, contracts=contracts, deliverables=deliverables,
                              payouts=payouts, usage_rights=usage_rights)
    campaigns = CampaignsApp(basics, identity=identity, creators=creators)
    distribution = DistributionApp(basics, creators=creators, identity=identity)
    followed = (identity, creators, contracts, deliverables, shipments, payouts,
                usage_rights, make_goods, campaigns, distribution)
    audit = AuditApp(basics, contracts=contracts,
                     family=Family({a.name: a for a in followed}, shipments),
                     chain_in=None if settings.backend == "memory" else database,
                     signer=Signer.from_text(settings.signing_key) if settings.signing_key
                     else None)
    return Applications(identity, creators, contracts, deliverables, shipments, payouts,
                        usage_rights, make_goods, audit, campaigns, distribution)


def prepare_store(settings: Settings) -> None:
    """Makes the SQLite file's folder or the PostgreSQL schema the tables go in."""
    if settings.backend == "sqlite":
        settings.sqlite_path().parent.mkdir(parents=True, exist_ok=True)
    elif settings.backend == "postgres" and settings.postgres_schema() != "public":
        with connect(settings) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                sql.Identifier(settings.postgres_schema())))

"""Use cases for campaigns (ops plan and run them; everyone in the brand reads them)."""

from datetime import UTC, datetime
from typing import Any

from application.campaigns.summary import (
    Member,
    digest,
    summarise,
    summary_fragment,
    summary_html,
    summary_markdown,
)
from application.common.actor import READERS, Actor, requires
from application.common.colleagues import colleague
from application.common.descriptions import describe_campaign
from application.common.history import history
from application.common.kolpact_app import (
    Basics,
    KolpactApplication,
    new_or_derived_id,
)
from application.common.links import (
    CampaignContracts,
    CreatorRecords,
    Families,
    Later,
    Records,
)
from application.common.people import People
from application.common.transcodings import register_values
from application.errors import NotFound
from domain.campaign import Campaign
from domain.campaign_plan import (
    Brief,
    CheckIn,
    CreatorRequirements,
    MidTermReview,
    PlanWeek,
    Summary,
)
from domain.creator import Creator
from domain.errors import InvalidValue
from domain.identity import Role
from domain.values import parse_value, to_primitive

# What the events hold (the values inside them are stored as part of these).
CAMPAIGN_VALUES = (Brief, PlanWeek, CheckIn, MidTermReview, CreatorRequirements, Summary)
PLANNERS = (Role.OPS,)  # DESIGN: ops manage creators and campaigns


class CampaignsApp(KolpactApplication):
    name = "campaigns"
    record, record_name = Campaign, "campaign"

    def __init__(self, basics: Basics, *, identity: Records, creators: CreatorRecords) -> None:
        super().__init__(basics)
        self.identity, self.creators = identity, creators

    def register_transcodings(self, transcoder: Any) -> None:
        super().register_transcodings(transcoder)
        register_values(transcoder, *CAMPAIGN_VALUES)

    @requires(*PLANNERS, action="plan campaigns")
    def plan_campaign(self, actor: Actor, brief: dict[str, Any],
                      plan: list[dict[str, Any]] | None = None, owner_id: str | None = None,
                      brand_id: str | None = None,
                      request_key: str | None = None) -> dict[str, Any]:
        """A new campaign, owned by `owner_id` (by default whoever plans it), on the
        four-week rhythm unless `plan` gives the weeks."""
        home = actor.home_brand(brand_id)
        owner = self._owner(home, owner_id or actor.user_id)
        parsed = parse_value(Brief, brief, "brief")
        weeks = None if plan is None else tuple(parse_value(PlanWeek, w, f"plan[{i}]")
                                                for i, w in enumerate(plan))
        campaign = self._create_once(lambda: Campaign.plan_campaign(
            actor=actor.user_id, brand_id=home, owner=owner, brief=parsed, plan=weeks,
            id=new_or_derived_id("campaign", actor.user_id, request_key)), Campaign,
            "campaign")
        return describe_campaign(campaign)

    @requires(*READERS, action="read campaigns")
    def get_campaign(self, actor: Actor, campaign_id: str, version: int | None = None,
                     as_of: datetime | None = None) -> dict[str, Any]:
        """The campaign now, or as it stood at a version or a moment."""
        return describe_campaign(self._as_it_stood(actor, Campaign, campaign_id, "campaign",
                                                   version, as_of)[0])

    @requires(*READERS, action="read campaign history")
    def campaign_history(self, actor: Actor, campaign_id: str,
                         as_of: datetime | None = None) -> list[dict[str, Any]]:
        """Every event of the campaign (up to `as_of`), with who acted in which roles."""
        campaign = self._load_visible(actor, Campaign, campaign_id, "campaign")
        people = People({"identity": self.identity, "creators": self.creators})
        return [{**people.attributed(entry), "application": self.name}
                for entry in history(self, campaign.id)
                if as_of is None or entry["time"] <= as_of]

    @requires(*PLANNERS, action="revise campaign briefs")
    def revise_brief(self, actor: Actor, campaign_id: str, brief: dict[str, Any],
                     reason: str | None = None,
                     expected_version: int | None = None) -> dict[str, Any]:
        parsed = parse_value(Brief, brief, "brief")
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.revise_brief(actor.user_id, parsed, reason))

    @requires(*PLANNERS, action="revise campaign plans")
    def revise_week(self, actor: Actor, campaign_id: str, week: dict[str, Any],
                    reason: str | None = None,
                    expected_version: int | None = None) -> dict[str, Any]:
        parsed = parse_value(PlanWeek, week, "week")
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.revise_week(actor.user_id, parsed, reason))

    @requires(*PLANNERS, action="start campaigns")
    def start_campaign(self, actor: Actor, campaign_id: str, reason: str | None = None,
              expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.start(actor.user_id, reason))

    @requires(*PLANNERS, action="review campaigns")
    def begin_review(self, actor: Actor, campaign_id: str, reason: str | None = None,
                     expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.begin_review(actor.user_id, reason))

    @requires(*PLANNERS, action="close campaigns")
    def close_campaign(self, actor: Actor, campaign_id: str, reason: str | None = None,
              expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.close(actor.user_id, reason))

    @requires(*PLANNERS, action="cancel campaigns")
    def cancel_campaign(self, actor: Actor, campaign_id: str, reason: str | None,
               expected_version: int | None = None) -> dict[str, Any]:
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.cancel(actor.user_id, reason))

    @requires(*PLANNERS, action="check in on campaigns")
    def check_in(self, actor: Actor, campaign_id: str, check_in: dict[str, Any],
                 expected_version: int | None = None) -> dict[str, Any]:
        parsed, now = parse_value(CheckIn, check_in, "check_in"), self.clock.now()
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.check_in(actor.user_id, now, parsed))

    @requires(*PLANNERS, action="review campaigns at mid-term")
    def review_mid_term(self, actor: Actor, campaign_id: str, review: dict[str, Any],
                        expected_version: int | None = None) -> dict[str, Any]:
        parsed = parse_value(MidTermReview, review, "review")
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.review_mid_term(actor.user_id, parsed))

    @requires(*PLANNERS, action="record creators' requirements")
    def record_requirements(self, actor: Actor, campaign_id: str,
                            requirements: dict[str, Any],
                            expected_version: int | None = None) -> dict[str, Any]:
        parsed = parse_value(CreatorRequirements, requirements, "requirements")
        campaign = self._load_visible(actor, Campaign, campaign_id, "campaign")
        creator = self.creators.creator_for(actor, parsed.creator_id)
        if creator.brand_id != campaign.brand_id:
            raise NotFound("No creator with that id.")
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.record_requirements(actor.user_id, parsed))

    @requires(Role.OPS, Role.ADMIN, action="hand campaigns over")
    def hand_over(self, actor: Actor, campaign_id: str, owner_id: str, reason: str | None,
                  expected_version: int | None = None) -> dict[str, Any]:
        campaign = self._load_visible(actor, Campaign, campaign_id, "campaign")
        owner = self._owner(campaign.brand_id, owner_id)
        return self._changed(actor, campaign_id, expected_version,
                             lambda c: c.hand_over(actor.user_id, owner, reason))

    def _owner(self, brand_id: str, user_id: str) -> str:
        return colleague(self.identity.repository, brand_id, user_id, "a campaign")


class CampaignSummaries:
    """The monthly summaries of a campaign: written from the contract families as they
    stood at a moment (application.campaigns.summary), stored on the campaign, read as
    JSON, Markdown or HTML, and checked by writing them again."""

    def __init__(self, campaigns: CampaignsApp, contracts: CampaignContracts,
                 creators: CreatorRecords, family: Later[Families]) -> None:
        self.campaigns, self.contracts, self.creators = campaigns, contracts, creators
        self.family = family

    @requires(*PLANNERS, action="write campaign summaries")
    def record_summary(self, actor: Actor, campaign_id: str, as_of: datetime | None = None,
                       expected_version: int | None = None) -> dict[str, Any]:
        """The next summary, its figures as they stood at `as_of` (by default now)."""
        # Events are stamped by the wall clock: "now" is never before the last of them,
        # whatever the application's clock says (a test's, moved by hand).
        now = max(self.campaigns.clock.now(), datetime.now(UTC))
        moment = as_of or now
        campaign: Campaign = self.campaigns.find_visible(actor, campaign_id)
        document = self.document(campaign, moment)
        recorded = self.campaigns._change(
            actor, Campaign, "campaign", campaign_id, expected_version,
            lambda c: c.record_summary(actor.user_id, moment, now, document,
                                       digest(document)))
        return describe_summary(recorded, len(recorded.summaries))

    @requires(*READERS, action="read campaign summaries")
    def get_summary(self, actor: Actor, campaign_id: str, number: int) -> dict[str, Any]:
        campaign: Campaign = self.campaigns.find_visible(actor, campaign_id)
        return describe_summary(campaign, number)

    @requires(*READERS, action="read campaign summaries")
    def report(self, actor: Actor, campaign_id: str, number: int, kind: str) -> str:
        """The summary for people: Markdown ("md"), one HTML page ("html"), or HTML to
        put inside a page ("fragment")."""
        summary = summary_of(self.campaigns.find_visible(actor, campaign_id), number)
        render = {"md": summary_markdown, "html": summary_html, "fragment": summary_fragment}
        return render[kind](summary)

    @requires(*READERS, action="check campaign summaries")
    def reproduce(self, actor: Actor, campaign_id: str, number: int) -> dict[str, Any]:
        """Writes the summary again from the events up to its moment: the same digest says
        nothing it was written from has changed since."""
        campaign: Campaign = self.campaigns.find_visible(actor, campaign_id)
        recorded = describe_summary(campaign, number)
        again = digest(self.document(campaign, recorded["as_of"]))
        return {"number": number, "as_of": recorded["as_of"], "digest": recorded["digest"],
                "digest_now": again, "reproduced": again == recorded["digest"]}

    def document(self, campaign: Campaign, moment: datetime) -> dict[str, Any]:
        version = self.campaigns.version_at(campaign.id, moment)
        if version is None:
            raise InvalidValue({"as_of": "is before the campaign was planned"})
        then: Campaign = self.campaigns.find(campaign.id, version)
        return summarise(to_primitive(then.brief), then.plan, then.check_ins,
                         self._members(str(campaign.id), moment), moment)

    def _members(self, campaign_id: str, moment: datetime) -> list[Member]:
        family, members = self.family(), []
        for contract_id in self.contracts.ever_in_campaign(campaign_id):
            version = self.contracts.version_at(contract_id, moment)
            contract = None if version is None else self.contracts.find(contract_id, version)
            if contract is None or contract.campaign_id != campaign_id:
                continue  # not in the campaign at that moment
            ids = family.ids(contract)
            members.append(Member(
                self._creator_name(contract.creator_id, moment),
                to_primitive(family.state_at(contract, moment, members=ids)),
                family.trail(contract, until=moment, members=ids)))
        return members

    def _creator_name(self, creator_id: str, moment: datetime) -> str:
        version = self.creators.version_at(creator_id, moment)
        creator: Creator = self.creators.find(creator_id, version)
        return creator.profile.display_name


def summary_of(campaign: Campaign, number: int) -> Summary:
    summary = campaign.summary(number)
    if summary is None:
        raise NotFound(f"The campaign has no summary {number}.")
    return summary


def describe_summary(campaign: Campaign, number: int) -> dict[str, Any]:
    summary = summary_of(campaign, number)
    return {"campaign_id": str(campaign.id), "number": summary.number,
            "as_of": summary.as_of, "digest": summary.digest, "written_by": summary.by,
            "document": summary.document, "markdown": summary_markdown(summary),
            "campaign_version": campaign.version}

"""Folders of creators."""

from marshmallow import Schema, fields, validate

from domain.folder import MAX_MEMBERS
from web.schemas.common import ReasonRequiredSchema, VersionedSchema
from web.schemas.lists import ListQuerySchema, page_schema

NAME = validate.Length(min=1, max=200)
IDS = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=MAX_MEMBERS))


class FolderSchema(Schema):
    id = fields.UUID(dump_only=True)
    version = fields.Integer(dump_only=True)
    brand_id = fields.UUID(load_default=None, metadata={
        "description": "Brand (workspace); needed only if you belong to several."})
    name = fields.String(required=True, validate=NAME)
    creator_ids = IDS
    deleted = fields.Boolean(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class RenameSchema(VersionedSchema):
    name = fields.String(required=True, validate=NAME)


class MembersSchema(VersionedSchema):
    creator_ids = fields.List(fields.UUID(), required=True,
                              validate=validate.Length(min=1, max=MAX_MEMBERS))


class DeleteSchema(ReasonRequiredSchema):
    pass


class FolderListQuerySchema(ListQuerySchema):
    creator_id = fields.UUID(load_default=None, metadata={
        "description": "The folders that creator is in."})
    sort = fields.String(load_default="name", validate=validate.OneOf(
        ["name", "-name", "created_at", "-created_at"]))


class FolderSummarySchema(Schema):
    folder_id = fields.String()
    brand_id = fields.String()
    name = fields.String()
    creators = fields.Integer()
    created_at = fields.String()
    updated_at = fields.String()
    version = fields.Integer()


FolderPageSchema = page_schema(FolderSummarySchema, "FolderPage")

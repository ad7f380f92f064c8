"""Request and response bodies of organizer brand pages, their team and their FAQ."""

from __future__ import annotations

import uuid
from datetime import datetime

from msgspec import UNSET, UnsetType

from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.catalog.faq import FaqItemChanges, FaqItemInput
from aquastream.domain.catalog.model import Contacts, FaqItem, Organizer, TeamMember
from aquastream.domain.catalog.organizers import OrganizerChanges, OrganizerInput
from aquastream.domain.catalog.team import TeamMemberChanges, TeamMemberInput

# The domain names contact fields on their own; on the wire they sit inside ``contacts``.
CONTACT_FIELDS = {name: f"contacts.{name}" for name in ("email", "phone", "telegram", "website")}


class ContactsIn(CamelStruct, forbid_unknown_fields=True):
    email: str | None = None
    phone: str | None = None
    telegram: str | None = None
    website: str | None = None


class ContactsChangesIn(CamelStruct, forbid_unknown_fields=True):
    email: str | UnsetType | None = UNSET
    phone: str | UnsetType | None = UNSET
    telegram: str | UnsetType | None = UNSET
    website: str | UnsetType | None = UNSET


class OrganizerIn(CamelStruct, forbid_unknown_fields=True):
    """A new brand page: ``slug`` 3-64 lowercase letters, digits or hyphens; ``brandColor`` #RRGGBB."""

    slug: str
    name: str
    description: str | None = None
    logo_media_id: uuid.UUID | None = None
    logo_url: str | None = None
    contacts: ContactsIn | None = None
    brand_color: str | None = None

    def to_input(self) -> OrganizerInput:
        contacts = self.contacts or ContactsIn()
        return OrganizerInput(
            slug=self.slug,
            name=self.name,
            description=self.description,
            logo_media_id=self.logo_media_id,
            logo_url=self.logo_url,
            email=contacts.email,
            phone=contacts.phone,
            telegram=contacts.telegram,
            website=contacts.website,
            brand_color=self.brand_color,
        )


class OrganizerChangesIn(CamelStruct, forbid_unknown_fields=True):
    """Absent fields stay as they are; null clears an optional one (``contacts: null`` clears all four)."""

    slug: str | UnsetType = UNSET
    name: str | UnsetType = UNSET
    description: str | UnsetType | None = UNSET
    logo_media_id: uuid.UUID | UnsetType | None = UNSET
    logo_url: str | UnsetType | None = UNSET
    contacts: ContactsChangesIn | UnsetType | None = UNSET
    brand_color: str | UnsetType | None = UNSET

    def to_changes(self) -> OrganizerChanges:
        if self.contacts is None:
            contacts = ContactsChangesIn(email=None, phone=None, telegram=None, website=None)
        elif isinstance(self.contacts, UnsetType):
            contacts = ContactsChangesIn()
        else:
            contacts = self.contacts
        return OrganizerChanges(
            slug=self.slug,
            name=self.name,
            description=self.description,
            logo_media_id=self.logo_media_id,
            logo_url=self.logo_url,
            email=contacts.email,
            phone=contacts.phone,
            telegram=contacts.telegram,
            website=contacts.website,
            brand_color=self.brand_color,
        )


class ContactsOut(CamelStruct):
    email: str | None
    phone: str | None
    telegram: str | None
    website: str | None

    @classmethod
    def of(cls, contacts: Contacts) -> ContactsOut:
        return cls(contacts.email, contacts.phone, contacts.telegram, contacts.website)


class OrganizerOut(CamelStruct):
    id: uuid.UUID
    slug: str
    name: str
    description: str | None
    logo_media_id: uuid.UUID | None
    logo_url: str | None
    contacts: ContactsOut
    brand_color: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, organizer: Organizer) -> OrganizerOut:
        return cls(
            id=organizer.id,
            slug=organizer.slug,
            name=organizer.name,
            description=organizer.description,
            logo_media_id=organizer.logo_media_id,
            logo_url=organizer.logo_url,
            contacts=ContactsOut.of(organizer.contacts),
            brand_color=organizer.brand_color,
            created_at=organizer.created_at,
            updated_at=organizer.updated_at,
        )


class TeamMemberIn(CamelStruct, forbid_unknown_fields=True):
    """Without ``sortOrder`` the person goes after the last one."""

    name: str
    role: str | None = None
    photo_url: str | None = None
    bio: str | None = None
    sort_order: int | None = None

    def to_input(self) -> TeamMemberInput:
        return TeamMemberInput(self.name, self.role, self.photo_url, self.bio, self.sort_order)


class TeamMemberChangesIn(CamelStruct, forbid_unknown_fields=True):
    """Absent fields stay as they are; a new ``sortOrder`` reorders the team."""

    name: str | UnsetType = UNSET
    role: str | UnsetType | None = UNSET
    photo_url: str | UnsetType | None = UNSET
    bio: str | UnsetType | None = UNSET
    sort_order: int | UnsetType = UNSET

    def to_changes(self) -> TeamMemberChanges:
        return TeamMemberChanges(self.name, self.role, self.photo_url, self.bio, self.sort_order)


class TeamMemberOut(CamelStruct):
    id: uuid.UUID
    name: str
    role: str | None
    photo_url: str | None
    bio: str | None
    sort_order: int

    @classmethod
    def of(cls, member: TeamMember) -> TeamMemberOut:
        return cls(member.id, member.name, member.role, member.photo_url, member.bio, member.sort_order)


class FaqItemIn(CamelStruct, forbid_unknown_fields=True):
    """Without ``sortOrder`` the item goes after the last one."""

    question: str
    answer: str
    sort_order: int | None = None

    def to_input(self) -> FaqItemInput:
        return FaqItemInput(self.question, self.answer, self.sort_order)


class FaqItemChangesIn(CamelStruct, forbid_unknown_fields=True):
    """Absent fields stay as they are; a new ``sortOrder`` reorders the FAQ."""

    question: str | UnsetType = UNSET
    answer: str | UnsetType = UNSET
    sort_order: int | UnsetType = UNSET

    def to_changes(self) -> FaqItemChanges:
        return FaqItemChanges(self.question, self.answer, self.sort_order)


class FaqItemOut(CamelStruct):
    id: uuid.UUID
    question: str
    answer: str
    sort_order: int

    @classmethod
    def of(cls, item: FaqItem) -> FaqItemOut:
        return cls(item.id, item.question, item.answer, item.sort_order)

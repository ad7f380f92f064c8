"""Request and response bodies of organizer brand pages, their team and their FAQ."""

from __future__ import annotations

import uuid
from datetime import datetime

from msgspec import UNSET, UnsetType

from aquastream.adapters.http.paging import PageOut
from aquastream.adapters.http.pictures import LinkedVariants, PictureVariantOut, linked_variants
from aquastream.adapters.http.structs import CamelStruct
from aquastream.domain.catalog.faq import FaqItemChanges, FaqItemInput
from aquastream.domain.catalog.model import Contacts, FaqItem, Organizer, TeamMember
from aquastream.domain.catalog.organizers import OrganizerChanges, OrganizerInput
from aquastream.domain.catalog.team import TeamMemberChanges, TeamMemberInput
from aquastream.domain.shared.paging import Page
from aquastream.ports.pictures import PictureOf, PictureVariants, PublicPicture

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


def logo_of(organizer: Organizer) -> PictureOf | None:
    """The uploaded logo ``logoMediaId`` names; none for a logo only at ``logoUrl``."""
    if organizer.logo_media_id is None:
        return None
    return PictureOf(PublicPicture.ORGANIZER_LOGO, organizer.id, organizer.logo_media_id)


def photo_of(member: TeamMember) -> PictureOf:
    """The person's newest uploaded photo (``POST /media`` with ``ownerType`` team_photo)."""
    return PictureOf(PublicPicture.TEAM_PHOTO, member.id)


class OrganizerOut(CamelStruct):
    """``logoVariants``: resized WebP copies of the uploaded logo ``logoMediaId`` names,
    smallest first, with signed links (empty for a logo only at ``logoUrl``, and until the
    worker made them)."""

    id: uuid.UUID
    slug: str
    name: str
    description: str | None
    logo_media_id: uuid.UUID | None
    logo_url: str | None
    logo_variants: list[PictureVariantOut]
    contacts: ContactsOut
    brand_color: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, organizer: Organizer, linked: LinkedVariants) -> OrganizerOut:
        return cls(
            id=organizer.id,
            slug=organizer.slug,
            name=organizer.name,
            description=organizer.description,
            logo_media_id=organizer.logo_media_id,
            logo_url=organizer.logo_url,
            logo_variants=linked.of(logo_of(organizer)),
            contacts=ContactsOut.of(organizer.contacts),
            brand_color=organizer.brand_color,
            created_at=organizer.created_at,
            updated_at=organizer.updated_at,
        )


async def organizer_out(pictures: PictureVariants, organizer: Organizer) -> OrganizerOut:
    return OrganizerOut.of(organizer, await linked_variants(pictures, [logo_of(organizer)]))


async def organizer_page(pictures: PictureVariants, page: Page[Organizer]) -> PageOut[OrganizerOut]:
    """A page of organizers, the variants of all their logos asked of media at once."""
    linked = await linked_variants(pictures, [logo_of(organizer) for organizer in page.items])
    return PageOut.of(page, lambda organizer: OrganizerOut.of(organizer, linked))


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
    """``photoVariants``: resized WebP copies of the person's newest uploaded photo, smallest
    first, with signed links (empty when none was uploaded, and until the worker made them)."""

    id: uuid.UUID
    name: str
    role: str | None
    photo_url: str | None
    photo_variants: list[PictureVariantOut]
    bio: str | None
    sort_order: int

    @classmethod
    def of(cls, member: TeamMember, linked: LinkedVariants) -> TeamMemberOut:
        return cls(
            id=member.id,
            name=member.name,
            role=member.role,
            photo_url=member.photo_url,
            photo_variants=linked.of(photo_of(member)),
            bio=member.bio,
            sort_order=member.sort_order,
        )


async def team_out(pictures: PictureVariants, members: list[TeamMember]) -> list[TeamMemberOut]:
    """Team members, the variants of all their photos asked of media at once."""
    linked = await linked_variants(pictures, [photo_of(member) for member in members])
    return [TeamMemberOut.of(member, linked) for member in members]


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

"""Use cases of an organizer's FAQ: list, add, change (including the order), remove."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import ClassVar

from msgspec import UNSET, UnsetType

from aquastream.domain.catalog.access import managed_organizer
from aquastream.domain.catalog.checks import FieldChecker, given
from aquastream.domain.catalog.errors import FaqItemNotFound, NotOrganizerManager, OrganizerNotFound
from aquastream.domain.catalog.model import FaqItem, Organizer
from aquastream.domain.catalog.organizers import normalise_slug
from aquastream.domain.catalog.team import MAX_SORT_ORDER
from aquastream.domain.shared.errors import Raises
from aquastream.domain.shared.ids import new_id
from aquastream.domain.shared.principal import Principal
from aquastream.ports.catalog import CatalogUnitOfWork


@dataclass(frozen=True, slots=True)
class FaqItemInput:
    question: str
    answer: str
    sort_order: int | None = None  # None = after the last one


@dataclass(frozen=True, slots=True)
class FaqItemChanges:
    question: str | UnsetType = UNSET
    answer: str | UnsetType = UNSET
    sort_order: int | UnsetType = UNSET


def _checked(data: FaqItemInput) -> FaqItemInput:
    check = FieldChecker()
    checked = FaqItemInput(
        question=check.text("question", data.question, min_length=3, max_length=500) or "",
        answer=check.text("answer", data.answer, min_length=1, max_length=10_000, multiline=True) or "",
        sort_order=data.sort_order,
    )
    if data.sort_order is not None:
        check.whole_number("sortOrder", data.sort_order, minimum=0, maximum=MAX_SORT_ORDER)
    check.raise_if_any()
    return checked


async def _item_of(uow: CatalogUnitOfWork, organizer: Organizer, item_id: uuid.UUID) -> FaqItem:
    item = await uow.faq.get(item_id)
    if item is None or item.organizer_id != organizer.id:
        raise FaqItemNotFound()
    return item


class ListFaq:
    """Anyone sees an organizer's FAQ in its order (``sort_order``, then creation)."""

    raises: ClassVar[Raises] = (OrganizerNotFound,)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, slug: str) -> list[FaqItem]:
        async with self._uow:
            organizer = await self._uow.organizers.get_by_slug(normalise_slug(slug))
            if organizer is None:
                raise OrganizerNotFound()
            return await self._uow.faq.list_for_organizer(organizer.id)


class AddFaqItem:
    """The organizer's manager adds a question (3-500) and answer (1-10000); without a
    ``sort_order`` it goes last."""

    raises: ClassVar[Raises] = (NotOrganizerManager, OrganizerNotFound)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, slug: str, data: FaqItemInput) -> FaqItem:
        checked = _checked(data)
        async with self._uow:
            organizer = await managed_organizer(self._uow, normalise_slug(slug), principal)
            sort_order = checked.sort_order
            if sort_order is None:
                sort_order = await self._uow.faq.next_sort_order(organizer.id)
            item = FaqItem(
                id=new_id(),
                organizer_id=organizer.id,
                question=checked.question,
                answer=checked.answer,
                sort_order=sort_order,
            )
            await self._uow.faq.add(item)
            await self._uow.commit()
        return item


class UpdateFaqItem:
    """The manager changes an item; setting ``sort_order`` reorders the FAQ. An item of
    another organizer is 404."""

    raises: ClassVar[Raises] = (FaqItemNotFound, NotOrganizerManager, OrganizerNotFound)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, principal: Principal, slug: str, item_id: uuid.UUID, changes: FaqItemChanges
    ) -> FaqItem:
        async with self._uow:
            organizer = await managed_organizer(self._uow, normalise_slug(slug), principal)
            item = await _item_of(self._uow, organizer, item_id)
            current = FaqItemInput(question=item.question, answer=item.answer, sort_order=item.sort_order)
            checked = _checked(replace(current, **given(changes)))
            item.question = checked.question
            item.answer = checked.answer
            item.sort_order = item.sort_order if checked.sort_order is None else checked.sort_order
            await self._uow.faq.save(item)
            await self._uow.commit()
        return item


class RemoveFaqItem:
    """The manager removes an item; an item of another organizer is 404."""

    raises: ClassVar[Raises] = (FaqItemNotFound, NotOrganizerManager, OrganizerNotFound)

    def __init__(self, uow: CatalogUnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal, slug: str, item_id: uuid.UUID) -> None:
        async with self._uow:
            organizer = await managed_organizer(self._uow, normalise_slug(slug), principal)
            await _item_of(self._uow, organizer, item_id)
            await self._uow.faq.delete(item_id)
            await self._uow.commit()

"""The supplier register API (P10.5), mounted at /partners: suppliers, contacts, contracts,
qualifications, ratings, and the suppliers a meeting used.

Amounts are decimal strings in CNY with two places ("12000.00"); typed amounts such as
"12,000" are read as people write them (core.numbers). Errors: the one shape of config/api.py.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from meetops.core.errors import NotFound
from meetops.core.schemas import MAX_DB_ID, DbId, Input, Pagination
from meetops.core.validation import Money, SaneDate
from meetops.core.web import AuthedRequest
from meetops.meetings.selectors import get_meeting_for_user
from meetops.partners import errors, selectors, services
from meetops.partners.models import (
    Contact,
    Contract,
    Engagement,
    Qualification,
    Rating,
    Supplier,
)
from meetops.partners.selectors import SupplierFilters
from meetops.people.models import User

router = Router(tags=["partners"])

KindCode = Literal["venue", "catering", "printing", "av", "transport", "interpretation", "other"]


class ContactIo(Input):
    name: str = Field(..., max_length=150)
    title: str = Field("", max_length=100)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)


class AveragesOut(Schema):
    count: int
    quality: float | None
    punctuality: float | None
    price: float | None
    overall: float | None


class SupplierOut(Schema):
    """A supplier with its standing: from a queryset of `selectors.with_standing`."""

    id: int
    name: str
    kind: str
    kind_label: str
    credit_code: str
    address: str
    notes: str
    active: bool
    contacts: list[ContactIo]
    ratings: AveragesOut
    qualification_expired: bool
    contract_expired: bool
    choice_label: str

    @staticmethod
    def resolve_kind_label(obj: Supplier) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_contacts(obj: Supplier) -> list[ContactIo]:
        return [
            ContactIo(name=c.name, title=c.title, phone=c.phone, email=c.email)
            for c in obj.contacts.all()
        ]

    @staticmethod
    def resolve_ratings(obj: Any) -> AveragesOut:
        return AveragesOut(
            count=obj.rating_count,
            quality=_round(obj.avg_quality),
            punctuality=_round(obj.avg_punctuality),
            price=_round(obj.avg_price),
            overall=_round(obj.avg_overall),
        )

    @staticmethod
    def resolve_choice_label(obj: Supplier) -> str:
        return selectors.choice_label(obj)


class SupplierIn(Input):
    name: str = Field(..., max_length=200)
    kind: KindCode = "other"
    credit_code: str = Field("", max_length=40, description="统一社会信用代码, GB 32100-2015")
    address: str = Field("", max_length=300)
    notes: str = Field("", max_length=5000)
    contacts: list[ContactIo] = Field(default_factory=list, max_length=50)


class SupplierPatch(Input):
    name: str | None = Field(None, max_length=200)
    kind: KindCode | None = None
    credit_code: str | None = Field(None, max_length=40)
    address: str | None = Field(None, max_length=300)
    notes: str | None = Field(None, max_length=5000)
    active: bool | None = None
    contacts: list[ContactIo] | None = Field(None, max_length=50, description="Replaces them")


class SupplierQuery(Input):
    q: str = Field("", max_length=200)
    kind: KindCode | None = None
    expired: bool = False
    include_inactive: bool = False


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _reload(user: User, supplier: Supplier) -> Supplier:
    """The supplier again, with its contacts and standing, as the answer shows it."""
    return selectors.get_supplier_for_user(user, supplier.pk)


@router.get("/", response=list[SupplierOut], summary="The register, with averages and expiry marks")
@paginate(Pagination)
def list_suppliers(request: AuthedRequest, filters: Query[SupplierQuery]) -> QuerySet[Supplier]:
    return selectors.search_suppliers(
        request.user,
        SupplierFilters(
            q=filters.q,
            kind=filters.kind or "",
            expired=filters.expired,
            include_inactive=filters.include_inactive,
        ),
    ).prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("pk")))


@router.post("/", response={201: SupplierOut}, summary="Add a supplier or external venue")
def create_supplier(request: AuthedRequest, payload: SupplierIn) -> Status:
    fields = payload.dict(exclude={"contacts"})
    contacts = [c.dict() for c in payload.contacts] if payload.contacts else None
    supplier = services.save_supplier(None, actor=request.user, contacts=contacts, **fields)
    return Status(201, _reload(request.user, supplier))


@router.get("/{int:supplier_id}", response=SupplierOut, summary="One supplier")
def get_supplier(request: AuthedRequest, supplier_id: int) -> Supplier:
    return selectors.get_supplier_for_user(request.user, supplier_id)


@router.patch("/{int:supplier_id}", response=SupplierOut, summary="Change a supplier")
def update_supplier(request: AuthedRequest, supplier_id: int, payload: SupplierPatch) -> Supplier:
    supplier = selectors.get_supplier_for_user(request.user, supplier_id)
    fields = payload.dict(exclude_unset=True, exclude={"contacts"})
    fields = {k: v for k, v in fields.items() if v is not None}
    contacts = None if payload.contacts is None else [c.dict() for c in payload.contacts]
    services.save_supplier(supplier, actor=request.user, contacts=contacts, **fields)
    return _reload(request.user, supplier)


# --- contracts and qualifications -------------------------------------------------------


class ContractOut(Schema):
    id: int
    supplier_id: int
    number: str
    title: str
    starts_on: date
    ends_on: date
    amount: Decimal
    expired: bool
    has_file: bool


class ContractIn(Input):
    number: str = Field(..., max_length=100)
    title: str = Field("", max_length=200)
    starts_on: SaneDate
    ends_on: SaneDate
    amount: Money


class ContractPatch(Input):
    number: str | None = Field(None, max_length=100)
    title: str | None = Field(None, max_length=200)
    starts_on: SaneDate | None = None
    ends_on: SaneDate | None = None
    amount: Money | None = None


class QualificationOut(Schema):
    id: int
    supplier_id: int
    title: str
    expires_on: date
    expired: bool
    has_file: bool


class QualificationIn(Input):
    title: str = Field(..., max_length=200)
    expires_on: SaneDate


class QualificationPatch(Input):
    title: str | None = Field(None, max_length=200)
    expires_on: SaneDate | None = None


def _contract_out(c: Contract) -> ContractOut:
    return ContractOut(
        id=c.pk,
        supplier_id=c.supplier_id,
        number=c.number,
        title=c.title,
        starts_on=c.starts_on,
        ends_on=c.ends_on,
        amount=c.amount,
        expired=c.ends_on < timezone.localdate(),
        has_file=bool(c.file),
    )


def _qualification_out(q: Qualification) -> QualificationOut:
    return QualificationOut(
        id=q.pk,
        supplier_id=q.supplier_id,
        title=q.title,
        expires_on=q.expires_on,
        expired=q.expires_on < timezone.localdate(),
        has_file=bool(q.file),
    )


def _contract(request: AuthedRequest, contract_id: int) -> Contract:
    contract = (
        Contract.objects.filter(pk=contract_id).first() if 0 < contract_id <= MAX_DB_ID else None
    )
    if contract is None:
        raise NotFound()
    selectors.get_supplier_for_user(request.user, contract.supplier_id)
    return contract


def _qualification(request: AuthedRequest, qualification_id: int) -> Qualification:
    found = (
        Qualification.objects.filter(pk=qualification_id).first()
        if 0 < qualification_id <= MAX_DB_ID
        else None
    )
    if found is None:
        raise NotFound()
    selectors.get_supplier_for_user(request.user, found.supplier_id)
    return found


@router.get(
    "/{int:supplier_id}/contracts", response=list[ContractOut], summary="The supplier's contracts"
)
def list_contracts(request: AuthedRequest, supplier_id: int) -> list[ContractOut]:
    supplier = selectors.get_supplier_for_user(request.user, supplier_id)
    return [_contract_out(c) for c in selectors.contracts_of(supplier)]


@router.post(
    "/{int:supplier_id}/contracts", response={201: ContractOut}, summary="Record a contract"
)
def create_contract(request: AuthedRequest, supplier_id: int, payload: ContractIn) -> Status:
    supplier = selectors.get_supplier_for_user(request.user, supplier_id)
    contract = services.add_contract(supplier, actor=request.user, **payload.dict())
    return Status(201, _contract_out(contract))


@router.patch("/contracts/{int:contract_id}", response=ContractOut, summary="Change a contract")
def update_contract(
    request: AuthedRequest, contract_id: int, payload: ContractPatch
) -> ContractOut:
    contract = _contract(request, contract_id)
    fields = payload.dict(exclude_unset=True)
    return _contract_out(services.update_contract(contract, actor=request.user, **fields))


@router.post(
    "/contracts/{int:contract_id}/file",
    response=ContractOut,
    summary="Attach the contract's file (multipart, field `file`: PDF, image or office document)",
)
def upload_contract_file(
    request: AuthedRequest, contract_id: int, file: File[UploadedFile]
) -> ContractOut:
    contract = _contract(request, contract_id)
    return _contract_out(services.update_contract(contract, actor=request.user, file=file))


@router.get(
    "/{int:supplier_id}/qualifications",
    response=list[QualificationOut],
    summary="The supplier's qualification documents",
)
def list_qualifications(request: AuthedRequest, supplier_id: int) -> list[QualificationOut]:
    supplier = selectors.get_supplier_for_user(request.user, supplier_id)
    return [_qualification_out(q) for q in selectors.qualifications_of(supplier)]


@router.post(
    "/{int:supplier_id}/qualifications",
    response={201: QualificationOut},
    summary="Record a qualification document and its expiry",
)
def create_qualification(
    request: AuthedRequest, supplier_id: int, payload: QualificationIn
) -> Status:
    supplier = selectors.get_supplier_for_user(request.user, supplier_id)
    document = services.add_qualification(supplier, actor=request.user, **payload.dict())
    return Status(201, _qualification_out(document))


@router.patch(
    "/qualifications/{int:qualification_id}",
    response=QualificationOut,
    summary="Change a qualification (a renewal: its new expiry)",
)
def update_qualification(
    request: AuthedRequest, qualification_id: int, payload: QualificationPatch
) -> QualificationOut:
    document = _qualification(request, qualification_id)
    fields = payload.dict(exclude_unset=True)
    return _qualification_out(services.update_qualification(document, actor=request.user, **fields))


@router.post(
    "/qualifications/{int:qualification_id}/file",
    response=QualificationOut,
    summary="Attach the qualification's file (multipart, field `file`)",
)
def upload_qualification_file(
    request: AuthedRequest, qualification_id: int, file: File[UploadedFile]
) -> QualificationOut:
    document = _qualification(request, qualification_id)
    return _qualification_out(
        services.update_qualification(document, actor=request.user, file=file)
    )


# --- ratings ------------------------------------------------------------------------------


class RatingOut(Schema):
    id: int
    supplier_id: int
    meeting_id: int
    meeting_title: str
    author_id: int | None
    quality: int
    punctuality: int
    price: int
    comment: str
    created_at: datetime
    updated_at: datetime


class RatingIn(Input):
    meeting_id: DbId
    quality: int = Field(..., ge=1, le=5)
    punctuality: int = Field(..., ge=1, le=5)
    price: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=5000)


class RatingPatch(Input):
    quality: int | None = Field(None, ge=1, le=5)
    punctuality: int | None = Field(None, ge=1, le=5)
    price: int | None = Field(None, ge=1, le=5)
    comment: str | None = Field(None, max_length=5000)


def _rating_out(r: Rating) -> RatingOut:
    return RatingOut(
        id=r.pk,
        supplier_id=r.supplier_id,
        meeting_id=r.meeting_id,
        meeting_title=r.meeting.title,
        author_id=r.author_id,
        quality=r.quality,
        punctuality=r.punctuality,
        price=r.price,
        comment=r.comment,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


@router.get(
    "/{int:supplier_id}/ratings",
    response=list[RatingOut],
    summary="Ratings of the supplier, of the meetings you may see, newest first",
)
def list_ratings(request: AuthedRequest, supplier_id: int) -> list[RatingOut]:
    supplier = selectors.get_supplier_for_user(request.user, supplier_id)
    return [_rating_out(r) for r in selectors.ratings_seen_by(request.user, supplier)]


@router.post(
    "/{int:supplier_id}/ratings",
    response={201: RatingOut},
    summary="Rate the supplier for a concluded meeting that used it (one rating per meeting)",
)
def create_rating(request: AuthedRequest, supplier_id: int, payload: RatingIn) -> Status:
    meeting = get_meeting_for_user(request.user, payload.meeting_id)
    supplier = (
        Supplier.objects.filter(pk=supplier_id).first() if 0 < supplier_id <= MAX_DB_ID else None
    )
    if supplier is None:
        raise NotFound()
    rating = services.rate_supplier(
        meeting, supplier=supplier, actor=request.user, **payload.dict(exclude={"meeting_id"})
    )
    return Status(201, _rating_out(rating))


@router.patch("/ratings/{int:rating_id}", response=RatingOut, summary="Change your rating")
def update_rating(request: AuthedRequest, rating_id: int, payload: RatingPatch) -> RatingOut:
    rating = selectors.get_rating_for_user(request.user, rating_id)
    fields = payload.dict(exclude_unset=True)
    return _rating_out(services.update_rating(rating, actor=request.user, **fields))


# --- the suppliers a meeting used ------------------------------------------------------


class LinkOut(Schema):
    id: int
    meeting_id: int
    supplier_id: int
    supplier_name: str
    supplied: str
    contract_id: int | None
    rating_id: int | None


class LinkIn(Input):
    supplier_id: DbId
    supplied: str = Field(..., max_length=300)
    contract_id: DbId | None = None


def _link_out(link: Engagement, rating: Rating | None) -> LinkOut:
    return LinkOut(
        id=link.pk,
        meeting_id=link.meeting_id,
        supplier_id=link.supplier_id,
        supplier_name=link.supplier.name,
        supplied=link.supplied,
        contract_id=link.contract_id,
        rating_id=rating.pk if rating else None,
    )


@router.get(
    "/meetings/{int:meeting_id}/links",
    response=list[LinkOut],
    summary="The suppliers the meeting used, for what",
)
def list_links(request: AuthedRequest, meeting_id: int) -> list[LinkOut]:
    used = selectors.suppliers_of(get_meeting_for_user(request.user, meeting_id))
    return [_link_out(link, used.ratings.get(link.supplier_id)) for link in used.links]


@router.post(
    "/meetings/{int:meeting_id}/links",
    response={201: LinkOut},
    summary="Record that the meeting used a supplier",
)
def create_link(request: AuthedRequest, meeting_id: int, payload: LinkIn) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    supplier = Supplier.objects.filter(pk=payload.supplier_id).first()
    if supplier is None:
        raise NotFound()
    contract = None
    if payload.contract_id is not None:
        # Named but not this supplier's (or not there): refused, never linked without it.
        contract = Contract.objects.filter(pk=payload.contract_id, supplier=supplier).first()
        if contract is None:
            raise errors.foreign_contract()
    link = services.link_supplier(
        meeting, supplier=supplier, supplied=payload.supplied, contract=contract, actor=request.user
    )
    return Status(201, _link_out(link, None))


@router.delete(
    "/meetings/{int:meeting_id}/links/{int:link_id}",
    response={204: None},
    summary="Take a supplier off the meeting (not once rated)",
)
def delete_link(request: AuthedRequest, meeting_id: int, link_id: int) -> Status:
    meeting = get_meeting_for_user(request.user, meeting_id, write=True)
    services.unlink_supplier(selectors.get_link(meeting, link_id), actor=request.user)
    return Status(204, None)

"""Writes for identity: linking people to provider accounts, just-in-time accounts,
applying what a provider says about a person, deactivating leavers.

Matching an outside account to a MeetOps person goes by the provider's stable id first,
then e-mail, then mobile; anything ambiguous is a conflict that is reported, never guessed
(`match_person`). Directory sync (`sync.py`) and every sign-in use the same functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meetops.core import audit
from meetops.core.errors import DomainError, PermissionDenied, ValidationFailed
from meetops.identity.models import ExternalDepartment, ExternalIdentity, Membership
from meetops.identity.providers import PersonAttributes, Provider, get_provider
from meetops.people import services as people_services
from meetops.people.models import ApiToken, Department, Role, User
from meetops.people.signals import joined


def default_role() -> str:
    """The global role a just-in-time account gets (`MEETOPS_IDENTITY_DEFAULT_ROLE`)."""
    role = getattr(settings, "MEETOPS_IDENTITY_DEFAULT_ROLE", Role.MEMBER) or Role.MEMBER
    return role if role in Role.values else Role.MEMBER


def _provider_key(provider: Provider | str) -> str:
    return provider if isinstance(provider, str) else provider.key


# --- matching -------------------------------------------------------------------------------


@dataclass
class Match:
    """How an outside account maps to a MeetOps person.

    `how` is "linked" (the provider's id is already linked), "email", "mobile", "none" (a new
    person) or "conflict" (then `reason` says why and `candidates` lists the usernames).
    """

    how: str
    user: User | None = None
    link: ExternalIdentity | None = None
    reason: str = ""
    candidates: list[str] = field(default_factory=list)


def _normal_mobile(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    # +86 138… and 138… are the same mobile.
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def mobile_index() -> dict[str, list[int]]:
    """Every account's mobile, normalised, to the accounts that have it (one query)."""
    index: dict[str, list[int]] = {}
    for pk, phone in User.objects.exclude(phone="").values_list("pk", "phone"):
        index.setdefault(_normal_mobile(phone), []).append(pk)
    return index


def match_person(
    provider: Provider | str,
    attrs: PersonAttributes,
    *,
    mobiles: dict[str, list[int]] | None = None,
) -> Match:
    """Find the person an outside account belongs to: by external id, e-mail, then mobile.

    `mobiles` is a `mobile_index()` to reuse when matching many people (directory sync)."""
    key = _provider_key(provider)
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=key, external_id=attrs.external_id)
        .first()
    )
    if link is not None:
        return Match("linked", user=link.user, link=link)
    for how, value in (("email", attrs.email.strip()), ("mobile", _normal_mobile(attrs.mobile))):
        if not value:
            continue
        if how == "email":
            found = list(User.objects.filter(email__iexact=value)[:5])
        else:
            # Mobiles are stored as typed ("+86 138-0013-8000"): compare them normalised.
            index = mobiles if mobiles is not None else mobile_index()
            found = list(User.objects.filter(pk__in=index.get(value, [])[:5]))
        if not found:
            continue
        if len(found) > 1:
            return Match(
                "conflict",
                reason=f"{how}_shared",
                candidates=sorted(u.username for u in found),
            )
        user = found[0]
        taken = (
            ExternalIdentity.objects.filter(provider=key, user=user)
            .exclude(external_id=attrs.external_id)
            .first()
        )
        if taken is not None:
            return Match(
                "conflict",
                user=user,
                reason=f"{how}_linked_elsewhere",
                candidates=[user.username],
            )
        return Match(how, user=user)
    return Match("none")


def conflict_message(match: Match) -> str:
    """A sentence a person reads about a conflict."""
    messages = {
        "email_shared": _("Several accounts have this e-mail address: %(who)s."),
        "mobile_shared": _("Several accounts have this mobile number: %(who)s."),
        "email_linked_elsewhere": _(
            "The account with this e-mail address (%(who)s) is linked to another account at this provider."
        ),
        "mobile_linked_elsewhere": _(
            "The account with this mobile number (%(who)s) is linked to another account at this provider."
        ),
    }
    template = messages.get(match.reason, _("The account could not be matched: %(who)s."))
    return str(template) % {"who": ", ".join(match.candidates)}


# --- applying attributes --------------------------------------------------------------------


def departments_for(provider: Provider | str, external_ids: Iterable[str]) -> dict[str, Department]:
    """The MeetOps departments of a provider's department ids (those sync has seen)."""
    ids = [i for i in external_ids if i]
    if not ids:
        return {}
    rows = ExternalDepartment.objects.select_related("department").filter(
        provider=_provider_key(provider), external_id__in=ids
    )
    return {row.external_id: row.department for row in rows}


def _free_username(wanted: str) -> str:
    base = (wanted or "user").strip()[:140] or "user"
    if not User.objects.filter(username__iexact=base).exists():
        return base
    n = 2
    while User.objects.filter(username__iexact=f"{base}-{n}").exists():
        n += 1
    return f"{base}-{n}"


def _person_fields(attrs: PersonAttributes, main: Department | None) -> dict[str, object]:
    # An attribute the provider leaves empty does not blank what MeetOps knows.
    fields: dict[str, object] = {}
    if attrs.display_name:
        fields["display_name"] = attrs.display_name[:150]
    if attrs.email:
        fields["email"] = attrs.email.strip()[:254]
    if attrs.mobile:
        fields["phone"] = attrs.mobile.strip()[:40]
    if attrs.title:
        fields["title"] = attrs.title[:150]
    if main is not None:
        fields["department"] = main
    return fields


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Department) else value


def apply_attributes(
    user: User, *, provider: Provider | str, attrs: PersonAttributes, actor: User | None
) -> dict[str, list[object]]:
    """Bring a linked person's name, e-mail, mobile, title, departments and mapped roles in
    line with the provider. Returns the changes ({field: [before, after]}); call in a transaction."""
    key = _provider_key(provider)
    depts = departments_for(key, attrs.department_ids)
    main = depts.get(attrs.main_department)
    changes: dict[str, list[object]] = {}
    for name, value in _person_fields(attrs, main).items():
        before = getattr(user, name)
        if before != value:
            changes[name] = [_plain(before), _plain(value)]
            setattr(user, name, value)
    if changes:
        user.save(update_fields=list(changes))
    if "department" in changes:
        joined([user.pk], what="department")
    if _set_memberships(user, key=key, depts=depts, attrs=attrs):
        changes["departments"] = [None, sorted(d.pk for d in depts.values())]
    if attrs.head_of is not None:
        headed = departments_for(key, attrs.head_of)
        wanted = {(d.pk, user.pk) for d in headed.values()}
        if people_services.sync_department_heads(
            source=key, wanted=wanted, users=[user.pk], actor=actor
        ):
            changes["head_of"] = [None, sorted(d.pk for d in headed.values())]
    if attrs.roles is not None and isinstance(provider, Provider):
        old = set(user.role_codes)
        new = (old - set(provider.managed_roles)) | set(attrs.roles)
        if user.is_superuser and Role.ADMIN not in provider.managed_roles:
            new.add(Role.ADMIN)
        new = new or {default_role()}
        if new != old:
            people_services.set_roles(user, roles=new, actor=None)
            changes["roles"] = [sorted(old), sorted(new)]
    return changes


def _set_memberships(
    user: User, *, key: str, depts: dict[str, Department], attrs: PersonAttributes
) -> bool:
    """Make the provider's memberships of `user` exactly `depts`; True when anything changed."""
    wanted = {
        dept.pk: (ext_id == attrs.main_department, order)
        for order, (ext_id, dept) in enumerate(
            (i, depts[i]) for i in attrs.department_ids if i in depts
        )
    }
    current = {m.department_id: m for m in Membership.objects.filter(user=user, provider=key)}
    changed = False
    stale = [m.pk for dept_pk, m in current.items() if dept_pk not in wanted]
    if stale:
        Membership.objects.filter(pk__in=stale).delete()
        changed = True
    for dept_pk, (is_main, order) in wanted.items():
        row = current.get(dept_pk)
        if row is None:
            Membership.objects.update_or_create(
                user=user,
                department_id=dept_pk,
                defaults={"is_main": is_main, "order": order, "provider": key},
            )
            changed = True
        elif (row.is_main, row.order) != (is_main, order):
            row.is_main, row.order = is_main, order
            row.save(update_fields=["is_main", "order"])
            changed = True
    return changed


# --- linking and just-in-time accounts ------------------------------------------------------


def link_or_create_person(
    *,
    provider: Provider | str,
    attrs: PersonAttributes,
    actor: User | None = None,
    login: bool = True,
) -> User:
    """The person an outside account belongs to, linked and up to date; created on the
    first sign-in when nobody matches (just-in-time, with `MEETOPS_IDENTITY_DEFAULT_ROLE`
    in the department the provider names).

    Raises DomainError `identity_conflict` when the account matches ambiguously,
    `account_disabled` when the provider or MeetOps has switched the person off, and
    `jit_disabled` when no account exists and `MEETOPS_IDENTITY_CREATE_ON_LOGIN` is off.
    `login=False` records a sync rather than a sign-in.
    """
    return upsert_person(provider=provider, attrs=attrs, actor=actor, login=login).user


@dataclass
class Upserted:
    """What `upsert_person` did: `how` is "created", or how the person was matched."""

    user: User
    how: str
    changes: dict[str, list[object]]


def upsert_person(
    *,
    provider: Provider | str,
    attrs: PersonAttributes,
    actor: User | None = None,
    login: bool = True,
    mobiles: dict[str, list[int]] | None = None,
) -> Upserted:
    """`link_or_create_person`, saying what it did (directory sync reports it)."""
    prov = get_provider(provider) if isinstance(provider, str) else provider
    if not attrs.external_id:
        raise ValidationFailed(_("The provider did not say who this is."), "external_id_missing")
    if login and not attrs.active:
        raise DomainError(_("This account is disabled."), "account_disabled", provider=prov.key)
    if login and prov.can_sync:
        _learn_departments(prov, attrs, actor=actor)
    now = timezone.now()
    with transaction.atomic():
        match = match_person(prov, attrs, mobiles=mobiles)
        if match.how == "conflict":
            raise DomainError(
                conflict_message(match),
                "identity_conflict",
                provider=prov.key,
                reason=match.reason,
                candidates=match.candidates,
            )
        if match.user is None:
            if login and not getattr(settings, "MEETOPS_IDENTITY_CREATE_ON_LOGIN", True):
                raise DomainError(
                    _("There is no MeetOps account for you yet. Ask an administrator."),
                    "jit_disabled",
                    provider=prov.key,
                )
            user = _create_person(prov, attrs, actor=actor)
        else:
            user = User.objects.select_for_update().get(pk=match.user.pk)
            if login and not user.is_active:
                raise DomainError(
                    _("This account is disabled."), "account_disabled", provider=prov.key
                )
        link = match.link or _link(user, prov, attrs, actor=actor, how=match.how)
        changes = apply_attributes(user, provider=prov, attrs=attrs, actor=actor)
        link.username = attrs.username[:255]
        link.raw = _jsonable_raw(attrs.raw)
        if login:
            link.last_login_at = now
        else:
            link.last_synced_at = now
        link.save(update_fields=["username", "raw", "last_login_at", "last_synced_at"])
        if changes and match.user is not None:
            audit.record(
                "identity.person.updated",
                user,
                actor=actor,
                changes=changes,
                data={"provider": prov.key},
            )
    how = "created" if match.user is None else match.how
    if match.user is not None and match.how != "linked":
        changes = {"linked": [None, match.how], **changes}
    return Upserted(user=user, how=how, changes=changes)


def _learn_departments(provider: Provider, attrs: PersonAttributes, *, actor: User | None) -> None:
    """Someone signs in before the first sync: bring in the departments the directory has, so
    the new account lands in the one it names."""
    if not attrs.department_ids:
        return
    if set(attrs.department_ids) <= set(departments_for(provider, attrs.department_ids)):
        return
    from meetops.identity.sync import sync_departments  # sync builds on this module

    sync_departments(provider, actor=actor)


def _create_person(provider: Provider, attrs: PersonAttributes, *, actor: User | None) -> User:
    depts = departments_for(provider, attrs.department_ids)
    roles = set(attrs.roles) if attrs.roles else {default_role()}
    user = people_services.create_user(
        username=_free_username(attrs.username),
        actor=None,
        roles=sorted(roles),
        display_name=attrs.display_name[:150],
        email=attrs.email.strip()[:254],
        department=depts.get(attrs.main_department),
        title=attrs.title[:150],
        phone=attrs.mobile.strip()[:40],
    )
    audit.record(
        "identity.person.created",
        user,
        actor=actor,
        data={"provider": provider.key, "external_id": attrs.external_id},
    )
    return user


def _link(
    user: User, provider: Provider, attrs: PersonAttributes, *, actor: User | None, how: str
) -> ExternalIdentity:
    link = ExternalIdentity.objects.create(
        user=user,
        provider=provider.key,
        external_id=attrs.external_id,
        username=attrs.username[:255],
    )
    audit.record(
        "identity.link.created",
        user,
        actor=actor,
        data={"provider": provider.key, "external_id": attrs.external_id, "matched_by": how},
    )
    return link


def _jsonable_raw(raw: object) -> object:
    return audit._jsonable(raw)


def unlink_identity(link: ExternalIdentity, *, actor: User) -> None:
    """Remove a link between a person and a provider account. Admins only; the person can
    still sign in another way (or is linked again on their next sign-in there)."""
    if not actor.is_admin:
        raise PermissionDenied()
    with transaction.atomic():
        locked = ExternalIdentity.objects.select_for_update().filter(pk=link.pk).first()
        if locked is None:
            return
        audit.record(
            "identity.link.removed",
            locked.user,
            actor=actor,
            data={"provider": locked.provider, "external_id": locked.external_id},
        )
        locked.delete()


# --- leavers --------------------------------------------------------------------------------


def deactivate_person(user: User, *, actor: User | None, reason: str, provider: str = "") -> bool:
    """Switch a person off: no sign-in, API tokens revoked, sessions ended. Nothing they did
    is deleted. Returns False when they were already inactive."""
    if actor is not None and not actor.is_admin:
        raise PermissionDenied()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            return False
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        revoked = ApiToken.objects.filter(user=locked, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if provider:
            ExternalIdentity.objects.filter(user=locked, provider=provider).update(
                left_at=timezone.now()
            )
        audit.record(
            "identity.person.deactivated",
            locked,
            actor=actor,
            data={"reason": reason, "provider": provider, "tokens_revoked": revoked},
        )
        transaction.on_commit(lambda: end_sessions([locked.pk]))
    user.is_active = False
    return True


def reactivate_person(user: User, *, actor: User | None, provider: str = "") -> bool:
    """Let a person sign in again (they came back to the directory)."""
    if actor is not None and not actor.is_admin:
        raise PermissionDenied()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            return False
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        if provider:
            ExternalIdentity.objects.filter(user=locked, provider=provider).update(left_at=None)
        audit.record(
            "identity.person.reactivated", locked, actor=actor, data={"provider": provider}
        )
    user.is_active = True
    return True


def end_sessions(user_ids: Iterable[int]) -> int:
    """Delete the database sessions of these people. Sessions keep the user id only inside
    the encoded data, so this reads each live session once."""
    wanted = {str(pk) for pk in user_ids}
    if not wanted:
        return 0
    doomed = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id", "")) in wanted:
            doomed.append(session.pk)
    Session.objects.filter(Q(pk__in=doomed)).delete()
    return len(doomed)

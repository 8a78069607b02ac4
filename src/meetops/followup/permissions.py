"""Who takes part in following up an action item, and what each may do.

- the doer: the owner, or, for an item owned only by a department, that department's members;
- managers: those who manage the meeting's action items (organisers, host, recorder, admins);
- the instructing leader: the leader whose instruction (批示) the item came from;
- cooperating members: members of the owning or a cooperating department (or below it);
- department heads (部门负责人, ADR 0022): heads of the owning department or of the owner's
  department (or of a department above it) see the item, comment and give it to someone of
  their departments.

The doer reports progress, raises problems and marks done; managers and the instructing leader
change the due date (with a reason), accept or send back (never their own item) and answer
escalations sent to them; everyone involved comments.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist

from meetops.followup.models import AcceptedBy, Escalation
from meetops.followup.ruleset import current_rules
from meetops.meetings.permissions import can_view_meeting
from meetops.minutes.models import ActionItem
from meetops.minutes.permissions import can_manage_actions
from meetops.people.models import Department, Role, User
from meetops.people.selectors import headed_department_ids


def instructing_leader_id(action: ActionItem) -> int | None:
    try:
        return action.instruction.leader_id
    except ObjectDoesNotExist:
        return None


def user_department_ids(user: User) -> list[int]:
    """The user's department and the departments above it (from the materialised path)."""
    department = user.department if user.is_authenticated else None
    if department is None:
        return []
    return [int(part) for part in department.path.strip("/").split("/") if part]


def in_departments(user: User, action: ActionItem) -> bool:
    """Member of the owning or a cooperating department (or of a department below one)."""
    chain = set(user_department_ids(user))
    if not chain:
        return False
    ids = {c.department_id for c in action.cooperations.all()}
    if action.department_id:
        ids.add(action.department_id)
    return bool(chain & ids)


def is_doer(user: User, action: ActionItem) -> bool:
    if action.owner_id is not None:
        return action.owner_id == user.pk
    return action.department_id in user_department_ids(user)


def heads_item(user: User, action: ActionItem) -> bool:
    """The user heads the owning department or the owner's department (or one above it)."""
    if not user.is_authenticated:
        return False
    headed = headed_department_ids(user)
    if not headed:
        return False
    if action.department_id in headed:
        return True
    owner = action.owner if action.owner_id is not None else None
    return owner is not None and owner.department_id in headed


def can_assign(user: User, action: ActionItem) -> bool:
    """Give the item to someone else: its department's heads (and, as before, managers)."""
    return heads_item(user, action) or (user.is_authenticated and is_manager(user, action))


def is_manager(user: User, action: ActionItem) -> bool:
    return can_manage_actions(user, action.meeting)


def is_instructing_leader(user: User, action: ActionItem) -> bool:
    return user.is_authenticated and instructing_leader_id(action) == user.pk


def can_view_followup(user: User, action: ActionItem) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.is_admin
        or action.owner_id == user.pk
        or is_instructing_leader(user, action)
        or in_departments(user, action)
        or heads_item(user, action)
        or can_view_meeting(user, action.meeting)
    )


def can_report_progress(user: User, action: ActionItem) -> bool:
    return user.is_authenticated and is_doer(user, action)


def can_comment(user: User, action: ActionItem) -> bool:
    if not can_view_followup(user, action):
        return False
    return (
        is_doer(user, action)
        or is_manager(user, action)
        or is_instructing_leader(user, action)
        or in_departments(user, action)
        or heads_item(user, action)
        or user.has_role(Role.LEADER, Role.ADMIN)
    )


def can_steer(user: User, action: ActionItem) -> bool:
    """Change the due date and the cooperating departments."""
    return user.is_authenticated and (
        is_manager(user, action) or is_instructing_leader(user, action) or user.is_admin
    )


def can_urge(user: User, action: ActionItem) -> bool:
    """催办 the owner: the item's managers (organisers), the instructing leader, and leaders
    who may see the meeting; never the owner themselves."""
    if not user.is_authenticated or action.owner_id == user.pk:
        return False
    return can_steer(user, action) or (
        user.has_role(Role.LEADER) and can_view_meeting(user, action.meeting)
    )


def can_raise(user: User, action: ActionItem) -> bool:
    return user.is_authenticated and (is_doer(user, action) or in_departments(user, action))


def can_review(user: User, action: ActionItem, *, accepted_by: str | None = None) -> bool:
    """Accept or send back, never an item one owns, as the follow-up rules in force say
    (`accepted_by`, read from them when not given):
    - managers: the meeting's managers and the instructing leader (as before the rules);
    - leader_first: an item from an instruction (批示) by its leader alone, others as above;
    - with_heads: as managers, and the heads of the owning or the owner's department."""
    if not user.is_authenticated or action.owner_id == user.pk:
        return False
    rule = accepted_by or current_rules().accepted_by
    if rule == AcceptedBy.LEADER_FIRST and instructing_leader_id(action) is not None:
        return is_instructing_leader(user, action)
    if rule == AcceptedBy.WITH_HEADS and heads_item(user, action):
        return True
    return can_steer(user, action)


def can_answer(user: User, escalation: Escalation) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_admin or any(r.pk == user.pk for r in escalation.recipients.all())


def sees_whole_board(user: User) -> bool:
    """Organisers, leaders and admins track every item they may see; others their own and their departments'."""
    return user.is_authenticated and user.has_role(Role.ORGANISER, Role.LEADER, Role.ADMIN)


# --- department heads' board and people's performance (P8.8, P8.9, ADR 0022) ---------------


def can_see_department_board(user: User, department: Department) -> bool:
    """Its heads (or heads above it), and those who follow every item they may see."""
    if not user.is_authenticated:
        return False
    return department.pk in headed_department_ids(user) or sees_whole_board(user)


def can_see_performance_of(user: User, person: User) -> bool:
    """The person themself, a head of their department (or above it), and leaders. Nobody
    else: not organisers, not administrators, not colleagues."""
    if not user.is_authenticated:
        return False
    if user.pk == person.pk or user.has_role(Role.LEADER):
        return True
    return person.department_id is not None and person.department_id in headed_department_ids(user)


def can_see_department_performance(user: User, department: Department) -> bool:
    """A head of the department (or above it), and leaders."""
    if not user.is_authenticated:
        return False
    return user.has_role(Role.LEADER) or department.pk in headed_department_ids(user)


# --- the follow-up process itself (P8.7, ADR 0027) -------------------------------------------


def can_see_followup_review(user: User) -> bool:
    """The periodic review and proposing a change of the rules: organisers, leaders, admins."""
    return sees_whole_board(user)


def can_propose_rules(user: User) -> bool:
    return can_see_followup_review(user)


def can_decide_rules(user: User) -> bool:
    """Whoever may change the meeting process (its versions: policy.services) adopts a new
    version of the follow-up rules."""
    return user.is_authenticated and user.is_active and user.is_system_admin

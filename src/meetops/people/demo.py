"""Demo organisation: the department tree with two heads, the people and the external contacts."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from meetops.core.demo import DEMO_PASSWORD, DemoContext, demo_loader
from meetops.people import services
from meetops.people.models import Role, User

# (key, name, English name, parent key or None)
DEPARTMENTS = [
    ("office", "办公室", "General Office", None),
    ("office.general", "综合科", "General Affairs Section", "office"),
    ("office.archive", "档案室", "Archives", "office"),
    ("hr", "人事处", "Human Resources", None),
    ("hr.training", "培训科", "Training Section", "hr"),
    ("finance", "财务处", "Finance", None),
    ("finance.budget", "预算科", "Budget Section", "finance"),
    ("finance.accounts", "核算科", "Accounts Section", "finance"),
    ("it", "信息中心", "Information Centre", None),
    ("it.network", "网络科", "Network Section", "it"),
    ("it.ops", "系统运维科", "Systems Operations", "it"),
    ("academic", "教务处", "Academic Affairs", None),
    ("academic.exams", "考务科", "Examinations Section", "academic"),
]

# (username, display name, roles, department key, job title)
PEOPLE = [
    ("admin", "系统管理员", (Role.ADMIN,), "it.ops", "系统管理员"),
    ("wangfang", "王芳", (Role.ORGANISER,), "office", "办公室副主任"),
    ("liming", "李明", (Role.LEADER,), "office", "办公室主任"),
    ("zhaomin", "赵敏", (Role.ARCHIVIST,), "office.archive", "档案管理员"),
    ("chenjing", "陈静", (Role.STAFF,), "office.general", "综合科科员"),
    ("liuyang", "刘洋", (Role.MEMBER,), "academic", "教务处科员"),
    ("zhangwei", "张伟", (Role.LEADER,), None, "副校长"),
    ("sunli", "孙丽", (Role.ORGANISER,), "hr", "人事处副处长"),
    ("xuming", "徐明", (Role.LEADER,), "finance", "财务处处长"),
    ("zhengxue", "郑雪", (Role.MEMBER,), "finance.budget", "预算科科长"),
    ("wujie", "吴杰", (Role.MEMBER,), "finance.accounts", "会计"),
    ("zhouqiang", "周强", (Role.STAFF,), "it.network", "网络工程师"),
    ("heping", "何平", (Role.STAFF,), "it.ops", "运维工程师"),
    ("huanglei", "黄磊", (Role.ORGANISER,), "academic", "教务处副处长"),
    ("linna", "林娜", (Role.MEMBER,), "academic.exams", "考务科科员"),
    ("gaoyan", "高燕", (Role.MEMBER,), "hr.training", "培训科科员"),
]

# Department heads (部门负责人, ADR 0022) as an administrator would name them: each sees their
# department's board, gives out its items and hears first of its overdue ones.
HEADS = [("finance", "xuming"), ("academic", "huanglei")]

# (key, name, organisation, title, phone, notes)
CONTACTS = [
    (
        "expert.ma",
        "马建国",
        "华东师范大学",
        "教授、教育信息化专家",
        "021-6223 0000",
        "专家：数字校园评审",
    ),
    ("expert.qian", "钱晓梅", "省财政厅", "高级会计师", "025-8328 0000", "专家：预算绩效评价"),
    (
        "vendor.av",
        "刘经理",
        "华音视听设备有限公司",
        "项目经理",
        "138 0000 1234",
        "供应商：音响、投影、同传设备",
    ),
    (
        "vendor.events",
        "孟小姐",
        "锦程会务服务有限公司",
        "客户经理",
        "139 0000 5678",
        "供应商：会场布置、茶歇、物料",
    ),
    ("guest.city", "邓主任", "市教育局", "办公室主任", "", "来宾"),
]


@demo_loader("people", order=10)
def load_people(ctx: DemoContext) -> None:
    for key, name, name_en, parent in DEPARTMENTS:
        ctx.departments[key] = services.create_department(
            name=name,
            name_en=name_en,
            parent=ctx.departments[parent] if parent else None,
            order=len(ctx.departments),
            actor=None,
        )
    # Argon2 is slow on purpose; every demo account has the same published password,
    # so it is hashed once and the hash shared (this keeps `meetops demo` fast).
    password_hash = make_password(DEMO_PASSWORD)
    for username, display_name, roles, dept, title in PEOPLE:
        user = services.create_user(
            username=username,
            display_name=display_name,
            roles=roles,
            password=None,
            department=ctx.departments[dept] if dept else None,
            title=title,
            email=f"{username}@example.org",
            actor=None,
        )
        User.objects.filter(pk=user.pk).update(password=password_hash)
        user.password = password_hash
        ctx.users[username] = user
    for dept, username in HEADS:
        services.set_department_heads(
            ctx.departments[dept], heads=[ctx.users[username]], actor=None
        )
    for key, name, organisation, title, phone, notes in CONTACTS:
        ctx.contacts[key] = services.create_contact(
            name=name,
            organisation=organisation,
            title=title,
            phone=phone,
            notes=notes,
            actor=None,
        )
    ctx.note(
        f"{len(DEPARTMENTS)} departments ({len(HEADS)} with a head), {len(PEOPLE)} people, "
        f"{len(CONTACTS)} contacts"
    )

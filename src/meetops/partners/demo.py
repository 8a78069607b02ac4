"""Demo suppliers: an AV company the third-quarter review used and rated, a conference
caterer whose licence expires within the month, and a hotel whose contract has ended.
The general office's clerk keeps the register with the administrator."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from meetops.core.demo import DemoContext, demo_loader
from meetops.partners import services


@demo_loader("partners", order=95)
def load_partners(ctx: DemoContext) -> None:
    admin, wangfang, chenjing = (ctx.users[k] for k in ("admin", "wangfang", "chenjing"))
    today = ctx.now.date()
    services.appoint_manager(chenjing, actor=admin)
    av = services.save_supplier(
        None,
        actor=chenjing,
        name="华音视听设备有限公司",
        kind="av",
        credit_code="91350100M000100Y43",
        address="南京市鼓楼区中山北路 8 号",
        notes="音响、投影、同传设备；可提供现场技术保障。",
    )
    services.add_contact(av, actor=chenjing, name="刘经理", title="项目经理", phone="138 0000 1234")
    services.add_qualification(
        av, actor=chenjing, title="营业执照", expires_on=today + timedelta(days=900)
    )
    services.add_contract(
        av,
        actor=chenjing,
        number="HT-2026-017",
        title="年度会议音视频服务框架协议",
        starts_on=today - timedelta(days=200),
        ends_on=today + timedelta(days=165),
        amount=Decimal("120000.00"),
    )
    caterer = services.save_supplier(
        None,
        actor=chenjing,
        name="锦程会务服务有限公司",
        kind="catering",
        credit_code="91110000600037341L",
        notes="会场布置、茶歇、工作餐。",
    )
    services.add_contact(
        caterer, actor=chenjing, name="孟小姐", title="客户经理", phone="139 0000 5678"
    )
    services.add_qualification(
        caterer, actor=chenjing, title="食品经营许可证", expires_on=today + timedelta(days=20)
    )
    hotel = services.save_supplier(None, actor=chenjing, name="金陵会议中心", kind="venue")
    services.add_contact(hotel, actor=chenjing, name="销售部", email="sales@example.org")
    services.add_contract(
        hotel,
        actor=chenjing,
        number="JL-2025-003",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=35),
        amount="48,000",
    )
    q3 = ctx.meetings["q3_review"]
    services.link_supplier(q3, supplier=av, supplied="报告厅音响、投影与现场保障", actor=wangfang)
    services.link_supplier(q3, supplier=caterer, supplied="会间茶歇（60 人）", actor=wangfang)
    services.rate_supplier(
        q3,
        supplier=av,
        actor=wangfang,
        quality=3,
        punctuality=4,
        price=4,
        comment="开场时投影仪无法投屏，技术人员 15 分钟后解决。",
    )

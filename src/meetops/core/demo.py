"""Demo logins shared by `meetops demo` and `meetops serve --announce`."""

DEMO_LOGINS = {
    "password": "meetops-demo",
    "users": [
        ("admin", "system admin"),
        ("wangfang", "organiser (办公室)"),
        ("liming", "leader (approver)"),
        ("zhaomin", "archivist"),
        ("chenjing", "staff"),
        ("liuyang", "member"),
    ],
}

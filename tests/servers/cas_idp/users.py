"""The CAS server's people: a campus directory as the attributes a real 统一身份认证 releases."""

from cas_server.auth import AuthUser

PASSWORD = "cas-pass-123"
PEOPLE = {
    "2019001": {
        "cn": "张三",
        "mail": "zhangsan@example.edu.cn",
        "mobile": "13800000001",
        "departmentNumber": "D-CS",
        "department": "计算机学院",
    },
    "2019002": {
        "cn": "李四",
        "mail": "lisi@example.edu.cn",
        "mobile": "13800000002",
        "department": "外国语学院",
    },
}


class FixtureUser(AuthUser):
    def test_password(self, password: str) -> bool:
        return self.username in PEOPLE and password == PASSWORD

    def attributs(self) -> dict[str, str]:
        return dict(PEOPLE.get(self.username, {}))

"""The IdP's people and the attributes it asserts (LDAP-style friendly names)."""

PASSWORD = "idp-pass-123"
PEOPLE = {
    "zhaoliu": {
        "uid": ["zhaoliu"],
        "displayName": ["赵六"],
        "mail": ["zhaoliu@example.org"],
        "mobile": ["13700000004"],
        "ou": ["人事处"],
    },
}

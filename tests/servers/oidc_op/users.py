"""The provider's people and the claims it releases about them."""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

PASSWORD = "op-pass-123"
PEOPLE = {
    "wangwu": {
        "name": "王五",
        "email": "wangwu@example.com",
        "phone_number": "13900000003",
        "department": "财务处",
    },
}


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "department": "profile",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        person = PEOPLE.get(request.user.username, {})
        return {"preferred_username": request.user.username, **person}

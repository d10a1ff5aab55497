"""How the OpenAPI schema describes API-key authentication (loaded by apps.ready)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

# Endpoints that serve a person, not an organization's systems: API keys are refused.
# (Any: drf-spectacular hints `auth` as strings but reads security requirement objects.)
SESSION_ONLY_AUTH: Any = [{"cookieAuth": []}]


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "partsmall.integrations.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Authorization: Api-Key <前缀>.<密钥>（在「设置 › API 密钥」中创建）",
        }

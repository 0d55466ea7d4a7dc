"""The OpenAPI document and the interactive documentation, whose page loads its assets from this site so
the site's CSP (scripts and styles from 'self' only) holds for it unchanged."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_the_operations(client):
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Helpline API"
    assert {"/api/v1/tickets", "/api/v1/tickets/{number}", "/api/v1/tickets/{number}/merge"} <= set(
        document["paths"]
    )
    assert {"BearerCredential", "HeaderCredential"} <= set(document["components"]["securitySchemes"])


def test_the_documentation_page_uses_local_assets_under_the_strict_csp(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    policy = page["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy

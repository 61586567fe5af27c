"""The OpenAPI document is valid, and schemathesis finds no server error in the live API with the demo data."""

import io

import hypothesis
import pytest
import schemathesis
from django.core.management import call_command
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_article, make_comment

# Generated requests per operation and mode (valid, invalid): enough to try every filter with hostile
# values, few enough to keep CI quick (about 20 s for the whole API).
EXAMPLES = 15


@pytest.mark.django_db
def test_the_openapi_document_is_valid_and_lists_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert set(schema["paths"]) == {
        "/api/v1/",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/articles/{article_id}/comments",
        "/api/v1/comments/{comment_id}",
        "/api/v1/sections",
        "/api/v1/sections/{section_id}",
        "/api/v1/tags",
        "/api/v1/tags/{tag_id}",
        "/api/v1/authors",
        "/api/v1/authors/{author_id}",
        "/api/v1/publishers",
        "/api/v1/publishers/{publisher_id}",
        "/api/v1/publication",
        "/api/v1/pages",
        "/api/v1/pages/{page_id}",
    }
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/articles"]["get"]["parameters"]}
    assert {"section", "tag", "author", "publisher", "kind", "updated_since", "q", "cursor", "limit"} <= parameters


@pytest.mark.django_db
def test_the_documentation_page_uses_local_assets_and_no_inline_script(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    scripts = html.split("<script")[1:]
    assert all('src="' in script or 'type="application/json"' in script for script in scripts)


@pytest.fixture
def live_api(live_server, settings):
    """The demo site behind a live server, with a commented article; rate limits out of the way."""
    settings.API_ANON_PER_MINUTE = 1_000_000
    call_command("load_demo", "--no-admin", stdout=io.StringIO())
    make_comment(article=make_article(headline="Commented story"))
    return schemathesis.openapi.from_url(live_server.url + "/api/v1/openapi.json")


def fuzz(operation, mode):
    """Generated requests for one operation (valid ones, or ones that break the schema on purpose)."""

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def run(case):
        response = case.call()
        assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
        case.validate_response(
            response, checks=[status_code_conformance, content_type_conformance, response_schema_conformance]
        )

    run()


@pytest.mark.django_db(transaction=True)
def test_generated_requests_never_cause_a_server_error(live_api):
    """Schemathesis on every endpoint of the live API: no 500, and every answer as documented."""
    operations = [result.ok() for result in live_api.get_all_operations()]
    assert len(operations) == 16
    for operation in operations:
        fuzz(operation, GenerationMode.POSITIVE)
        try:
            fuzz(operation, GenerationMode.NEGATIVE)
        except hypothesis.errors.Unsatisfiable:  # no parameter to break (the index, the publication)
            assert not operation.definition.raw.get("parameters"), operation.label

"""A short journey with a client generated from the committed OpenAPI document by a standard
generator (openapi-python-client): sign in, browse the catalogue, open a product, and read a
problem answer. Proves the contract is complete enough for integrators to generate from.

Usage: python3 journey.py <folder holding the generated rxgate_client package>
       (RXGATE_E2E_URL: the running server)
"""

import os
import sys

sys.path.insert(0, sys.argv[1])

from rxgate_client import AuthenticatedClient, Client  # noqa: E402
from rxgate_client.api.auth import login  # noqa: E402
from rxgate_client.api.catalogue import get_product, list_products  # noqa: E402
from rxgate_client.models import (  # noqa: E402
    CatalogueSort,
    CursorPageProductSummary,
    MfaState,
    LoginRequest,
    Problem,
    ProductDetail,
    TokenResponse,
)

base = os.environ.get("RXGATE_E2E_URL", "http://localhost:18080")
anonymous = Client(base_url=base, raise_on_unexpected_status=True)

signed_in = login.sync(
    client=anonymous,
    body=LoginRequest(
        email="patient@rxgate.test",
        password="rxgate-demo-password",
        refresh_token_in_body=True,
    ),
)
assert isinstance(signed_in, TokenResponse), signed_in
# Closed sets of values are enums in the document, so the client has a type for them.
assert signed_in.mfa is MfaState.NOT_REQUIRED, signed_in.mfa

patient = AuthenticatedClient(base_url=base, token=signed_in.access_token)
page = list_products.sync(client=patient, limit=5, sort=CatalogueSort.NAME)
assert isinstance(page, CursorPageProductSummary), page
assert 1 <= len(page.items) <= 5, len(page.items)
first = page.items[0]
assert first.eligibility is not None, "patients see whether they may buy each product"
assert first.eligibility.verdict.value in ("eligible", "consult_required", "blocked", "needs_review")

product = get_product.sync(client=patient, id=first.id)
assert isinstance(product, ProductDetail), product
assert product.product.id == first.id
assert product.variants, "a product on sale has variants"

refused = login.sync_detailed(
    client=anonymous,
    body=LoginRequest(email="nobody@example.org", password="not the right passphrase"),
)
assert refused.status_code == 401, refused.status_code
assert isinstance(refused.parsed, Problem), refused.parsed
assert refused.parsed.code == "INVALID_CREDENTIALS", refused.parsed.code

print(
    f"generated Python client: signed in, {len(page.items)} products listed, "
    f"'{product.product.name}' opened, problem answers parsed"
)

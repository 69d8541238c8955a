"""Every fixture project is linted; the findings must equal the `// expect: AMPxxx` markers exactly,
so a new false positive fails as surely as a miss."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import expected_findings, fixture_roots

from amplint.api import lint


@pytest.mark.parametrize("root", fixture_roots(), ids=lambda p: p.name)
def test_fixture_findings_match_markers(root):
    result = lint([root])
    assert not result.errors
    found = Counter(
        (d.location.path.relative_to(root).as_posix(), d.location.span.start_line, d.code) for d in result.reported
    )
    expected = expected_findings(root)
    assert sorted((found - expected).elements()) == [], "unexpected findings (false positives)"
    assert sorted((expected - found).elements()) == [], "missed findings"

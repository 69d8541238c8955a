"""What public backends taught: each finding claims only the consequence this code gets, once, with
the severity its certainty earns. The fixtures `realworld-*` reproduce patterns from real projects."""

from __future__ import annotations

from pathlib import Path

from amplint.api import lint
from amplint.diagnostics import Severity

FIXTURES = Path(__file__).parent / "fixtures"


def findings(fixture: str, code: str):
    return [d for d in lint([FIXTURES / fixture]).reported if d.code == code]


def test_data_access_consequence_follows_the_configuration():
    by_function = {d.message.split("`")[1]: d.message for d in findings("core-data", "AMP201")}
    # getAmplifyDataClientConfig throws at cold start: its real error is quoted.
    assert '"The data environment variables are malformed"' in by_function["ungranted"]
    # A variable read without the grant is undefined; no error it cannot produce is quoted.
    assert "(`AMPLIFY_DATA_GRAPHQL_ENDPOINT` is undefined at runtime)" in by_function["env-reader"]
    assert "malformed" not in by_function["env-reader"]


def test_outputs_with_an_identity_pool_default_sign_as_the_guest():
    (owner_reader,) = [d for d in findings("realworld-data-access", "AMP202") if "owner-reader" in str(d.location.path)]
    assert "the identity pool's guest (unauthenticated) credentials, not the function's role" in owner_reader.message
    assert "`Todo` does not allow `allow.guest()`" in owner_reader.message
    # The missing grant is the same finding's sentence, not a second finding.
    assert "the schema does not grant `owner-reader` `allow.resource` either" in owner_reader.message
    assert findings("realworld-data-access", "AMP201") == []


def test_hand_written_configurations_get_the_error_aws_amplify_throws():
    by_file = {d.location.path.parent.name: d.message for d in findings("realworld-data-access", "AMP202")}
    assert "throws \"TypeError: Cannot read properties of undefined (reading 'list')\"" in by_file["by-hand"]
    assert 'fail with "No credentials"' in by_file["by-hand-graphql"]


def test_a_client_never_configured_quotes_the_client_error():
    (finding,) = findings("realworld-data-access", "AMP305")
    assert "nothing it runs calls `Amplify.configure`" in finding.message
    assert '"Client could not be generated.' in finding.message
    assert "grant it `allow.resource(unconfigured)`" in finding.message


def test_another_functions_shim_is_an_error_only_for_variables_the_function_lacks():
    result = [d for d in findings("wiring-env-module", "AMP107") if d.location.path.parent.name == "digest"]
    by_line = {d.location.span.start_line: d for d in sorted(result, key=lambda d: d.location.span.start_line)}
    assert by_line[3].severity == Severity.WARNING
    assert "the env shim of another function, `notify`" in by_line[3].message
    assert by_line[4].severity == Severity.ERROR
    assert "lacks `SLACK_CHANNEL` (set only on `notify`)" in by_line[4].message


def test_a_file_synth_never_loads_claims_no_synth_failure(tmp_path):
    amplify = tmp_path / "amplify"
    amplify.mkdir()
    (amplify / "backend.ts").write_text("import { defineBackend } from '@aws-amplify/backend';\n\ndefineBackend({});\n")
    (amplify / "draft.ts").write_text(
        "import { Duration } from 'aws-cdk-lib/aws-events';\n\nexport const d = Duration;\n"
    )
    (finding,) = [d for d in lint([tmp_path]).reported if d.code == "AMP501"]
    assert "(tsc TS2305)" in finding.message and "synth" not in finding.message


def test_an_unused_function_gets_one_finding_not_one_per_option():
    codes = sorted(d.code for d in lint([FIXTURES / "realworld-broken-draft"]).reported)
    assert codes == ["AMP001", "AMP102"]

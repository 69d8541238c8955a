"""What the model finds where a word stands in the source is every node of its kind that a walk of
the whole tree finds, in the walk's order (document order, an enclosing node first): no model fact
walks a file's tree, so these tests walk it instead, as the oracle."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from tree_sitter import Node

from amplint.diagnostics import Location
from amplint.model import cdk, handlers, schema
from amplint.model.environment import env_shim_imports
from amplint.model.modules import (
    Module,
    build_module,
    calls_named,
    in_document_order,
    keywords,
    members_named,
    new_expressions,
    property_reads,
)
from amplint.syntax import SourceFile

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = sorted(
    p for p in FIXTURES.rglob("*") if p.suffix in {".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx"} and p.is_file()
)


class _Walk:
    """Every node of the kinds the model reads, by one walk of the whole tree in document order."""

    KINDS = {
        "export_statement": "exports",
        "call_expression": "calls",
        "new_expression": "news",
        "member_expression": "members",
        "return_statement": "returns",
        "this": "this",
    }

    def __init__(self, root: Node) -> None:
        self.exports: list[Node] = []
        self.calls: list[Node] = []
        self.news: list[Node] = []
        self.members: list[Node] = []
        self.returns: list[Node] = []
        self.this: list[Node] = []
        stack = [root]
        while stack:
            node = stack.pop()
            if node.type in self.KINDS:
                getattr(self, self.KINDS[node.type]).append(node)
            stack.extend(reversed(node.children))


# -- what the model finds where a word stands ------------------------------------------------------


def _found_where_words_stand(module: Module) -> dict[str, list[tuple[int, int]]]:
    def spans(nodes: Iterable[Node]) -> list[tuple[int, int]]:
        return [(n.start_byte, n.end_byte) for n in nodes]

    return {
        "news": spans(new_expressions(module)),
        "this": spans(keywords(module, b"this")),
        "returns": [r.at for r in module.fact(handlers._return_statements)],
        "operation calls": [c.call for c in handlers._read_operation_calls(module)],
        "client members": [_bytes(r.location) for r in handlers._read_member_reads(module)],
        "resource members": spans(members_named(module, b"resource")),
        "Duration members": [_bytes(location) for _, _, location in module.fact(cdk._duration_members)],
        "field rule calls": [c.at for c in module.fact(schema._field_rule_calls)],
        "schedule calls": [call[0] for call in module.fact(cdk._schedule_calls)],
        "data variable members": spans(handlers._members_naming(module.file, handlers.DATA_VARIABLE_WORDS)),
        "members off allow": [m.at for m in schema._members_off(module, "allow")],
        "backend reads": [r.member for r in property_reads(module, "backend")],
        "define calls": spans(c.call for c in calls_named(module, prefixes=(b"define",))),
        "member calls": spans(c.call for c in calls_named(module, (b"resource", b"function"), members_only=True)),
        "calls": spans(c.call for c in calls_named(module, (b"configure", b"generateClient", b"secret"))),
        "resources members": spans(members_named(module, b"resources")),
        "env members": spans(members_named(module, b"env")),
    }


def _from_a_walk(module: Module, found: dict[str, list[tuple[int, int]]]) -> dict[str, list[tuple[int, int]]]:
    """The same nodes, as a walk of the whole tree finds them, in its order (news and `this`: every
    one it finds)."""
    index = _Walk(module.file.root)

    def ordered(nodes: list[Node], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        position = {(n.start_byte, n.end_byte): i for i, n in reversed(list(enumerate(nodes)))}
        return sorted(spans, key=position.__getitem__)

    return {
        "news": [(n.start_byte, n.end_byte) for n in index.news],
        "this": [(n.start_byte, n.end_byte) for n in index.this],
        "returns": [(n.start_byte, n.end_byte) for n in index.returns],
        "operation calls": [c.call for c in _operation_calls(module, index.calls)],
        "client members": _client_members(module, index.members),
        "resource members": [(n.start_byte, n.end_byte) for n in index.members if _is_property(n, "resource")],
        "Duration members": [(n.start_byte, n.end_byte) for n in index.members if _is_property(n, "Duration")],
        "field rule calls": [
            (n.start_byte, n.end_byte)
            for n in index.calls
            if (f := n.child_by_field_name("function")) is not None
            and f.type == "member_expression"
            and (p := f.child_by_field_name("property")) is not None
            and p.text is not None
            and p.text.decode() in schema._FIELD_RULES
        ],
        "schedule calls": [
            (n.start_byte, n.end_byte)
            for n in (index.calls if module.file.mentions(b".cron", b".rate") else [])
            if (f := n.child_by_field_name("function")) is not None
            and f.type == "member_expression"
            and _is_property(f, "cron") | _is_property(f, "rate")
        ],
        "data variable members": [
            (n.start_byte, n.end_byte)
            for n in index.members
            if (p := n.child_by_field_name("property")) is not None
            and any(word.encode() in (p.text or b"") for word in handlers.DATA_VARIABLE_WORDS)
        ],
        "members off allow": [
            (n.start_byte, n.end_byte)
            for n in index.members
            if (o := n.child_by_field_name("object")) is not None and (o.type, o.text) == ("identifier", b"allow")
        ],
        "backend reads": [
            (n.start_byte, n.end_byte)
            for n in index.members
            if (o := n.child_by_field_name("object")) is not None
            and (o.type, o.text) == ("identifier", b"backend")
            and (p := n.child_by_field_name("property")) is not None
            and p.type == "property_identifier"
        ],
        **{kind: ordered(index.calls, found[kind]) for kind in ("define calls", "member calls", "calls")},
        **{kind: ordered(index.members, found[kind]) for kind in ("resources members", "env members")},
    }


_DAMAGED = [
    b"defineA(x).defineB(y)(defineC()); new A(new B(this)); a.resources.b.resources.c;",
    b"const f = defineFunction({ name: 'x' ; new Foo(this, 'Id', { x: this.y }",
    b"export default defineBackend({ a, b }).resources.data.resources.tables['T'.env.X",
    b"class C { m() { return new D(this); } } new E(this, `${this.x}`) /* new F(this) */ 'new G()'",
    b"a.function(b).resource(c).function(); x.function(y; renew(); newish; this_; thisArg",
    b"c.models.Todo.list(); c['models'].T.get(); c.queries.q(c.mutations.m()); g().graphql({}); c.models",
    b"const f = () => { return 1; }; function g() { return c.models.T.create( } // return 2",
    rb"c['\u006dodels'].Todo.list(); c[`queries`].q(); c['\models'].T.get(); c['mod\
els'].T.get(); f('\n', /\models/)",
    b"env.AMPLIFY_DATA_GRAPHQL_ENDPOINT; process.env.MY_GRAPHQL_ENDPOINT_X; e.#GRAPHQL_ENDPOINT; 'GRAPHQL_ENDPOINT'",
    b"x.GRAPHQL_ENDPOINTGRAPHQL_ENDPOINT; y.MODEL_INTROSPECTION_SCHEMA.GRAPHQL_ENDPOINT; GRAPHQL_ENDPOINT.z",
    b"events.Schedule.cron({ minute: '0' }); Schedule . rate(d); x.cron; y.rate(); cron(); z.crons()",
    b"backend.a.b; backend['c'].d; xbackend.e; backend.#f; (backend).g; backend . h; a.backend.i; backend?.j",
    b"allow.resource(fn); helper.resource(fn).to(['query']); a.resource; x.resources; resource.x",
    b"client.'models.list()",
    b"a.model({}).authorization((allow) => [allow.owner(), allow.ownerDefinedIn('x'), h.resource(f), allow.#p])",
    b"a.model({}).authorization(allow => [allow . groupsDefinedIn('g'), x.allow.owner(), allowed.owner(), allow.owner",  # recovered as a member `client.'models` whose property is `models`
    b"cdk.Duration.minutes(1); Duration.seconds(2); events.Duration; x.Durations; x.Duration.Duration; 'a.Duration'",
]


def _is_property(member: Node, name: str) -> bool:
    prop = member.child_by_field_name("property")
    return prop is not None and prop.text == name.encode()


def _operation_calls(module: Module, calls: list[Node]) -> tuple[handlers._OperationCall, ...]:
    """What `_read_operation_calls` finds when it reads every call of the file."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "_operation_call_candidates", lambda _: calls)
        return handlers._read_operation_calls(module)


def _bytes(location: Location) -> tuple[int, int]:
    return location.span.start_byte, location.span.end_byte


def _client_members(module: Module, members: list[Node]) -> list[tuple[int, int]]:
    """Where `_read_member_reads` reads off every member of the file named like a client's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "in_document_order", lambda *_: members)
        return [
            _bytes(r.location)
            for r in handlers._read_member_reads(module)
            if r.member_name.encode() in handlers._OPERATION_WORDS
        ]


@pytest.mark.parametrize("text", [p.read_bytes() for p in SOURCES[::7]] + _DAMAGED)
@pytest.mark.parametrize("name", ["file.ts", "file.tsx"])
def test_what_is_found_where_a_word_stands_is_what_a_walk_finds_in_its_order(name: str, text: bytes) -> None:
    module = build_module(SourceFile(Path(name), text))
    found = _found_where_words_stand(module)
    assert found == _from_a_walk(module, found)


# Names a source spells in ways a search for them must not step over: a name that repeats part of
# itself right after a token the parser rejects (`\c` before `cc`), or a name the parser supplied,
# which is empty.
_NAMES = [
    rb"\ccc.x; cc.y; xcc.z; cc",
    rb"a.model({}).authorization((aa) => [\aaa.owner(), aa.guest(), aaa.public()])",
    rb"a.schema({}).authorization(( = 1) => [allow.owner()]); .x",
    rb"const abab = 1; \ababab.c; ababab.d; 1nn.e; nn.f",
]


@pytest.mark.parametrize("text", _NAMES + _DAMAGED + [p.read_bytes() for p in SOURCES[::11]])
def test_what_is_read_off_each_name_is_what_a_walk_finds(text: bytes) -> None:
    module = build_module(SourceFile(Path("file.ts"), text))
    walk = _Walk(module.file.root)
    names = {(n.text or b"").decode() for m in walk.members if (n := m.child_by_field_name("object")) is not None}
    off_names = [
        m for m in walk.members if (o := m.child_by_field_name("object")) is not None and o.type == "identifier"
    ]
    for name in names:
        off = [m for m in off_names if m.child_by_field_name("object").text == name.encode()]  # type: ignore[union-attr]
        assert [r.member for r in property_reads(module, name)] == [
            (m.start_byte, m.end_byte)
            for m in off
            if m.child_by_field_name("property").type == "property_identifier"  # type: ignore[union-attr]
        ], name
        assert [m.at for m in schema._members_off(module, name)] == [(m.start_byte, m.end_byte) for m in off], name


def test_a_name_that_repeats_part_of_itself_is_found_after_a_rejected_token() -> None:
    module = build_module(SourceFile(Path("data.ts"), _NAMES[1]))
    (call,) = (c.call for c in calls_named(module, (b"authorization",), members_only=True))
    assert schema.authorization_rules(module, call) == {"owner", "guest"}
    assert [r.property for r in property_reads(build_module(SourceFile(Path("a.ts"), _NAMES[0])), "cc")] == ["x", "y"]
    # A parameter the parser supplied has an empty name: nothing is read off it, and the search ends.
    module = build_module(SourceFile(Path("data.ts"), _NAMES[2]))
    (call,) = (c.call for c in calls_named(module, (b"authorization",), members_only=True))
    assert schema.authorization_rules(module, call) == set()


def test_an_import_name_the_parser_supplied_binds_nothing() -> None:
    # `import { x as }`: the alias is a token the parser supplied to recover, with an empty name.
    module = build_module(SourceFile(Path("a.ts"), b"import { x as } from 'y';\nimport { z } from 'w';\nx; z;\n"))
    assert [(i.local, i.imported, i.source) for i in module.imports] == [("z", "z", "w")]
    assert set(module.bindings) == {"z"} and module.specifiers == {"y", "w"}


_ENV_SHIMS = [
    b"import { env } from '$amplify/env/f'; env.A; (env).B; env?.C; env['D']; x.env.E; env.F.G; `${env.H}`",
    b"import { env as e, other } from '$amplify/env/f.js'; e.A; other.B; env.C; e . D; /* e.E */ 'e.F'",
    b"import * as shim from '$amplify/env/f'; shim.env.A; shim.B; shim.env.C; function f(shim) { shim.D }",
    rb"import { env } from '$amplify/env/f'; env.A; env.#B; env.\u0043; env.D(; env.",
]


@pytest.mark.parametrize("text", [p.read_bytes() for p in SOURCES if b"$amplify/env/" in p.read_bytes()] + _ENV_SHIMS)
def test_the_variables_an_env_shim_reads_are_what_a_walk_finds(text: bytes) -> None:
    module = build_module(SourceFile(Path("handler.ts"), text))
    walk = _Walk(module.file.root)
    for shim in env_shim_imports(module):
        names = {imp.local for imp in module.imports if imp.statement == shim.statement}
        assert shim.variables_read == sorted(
            {
                (m.child_by_field_name("property").text or b"").decode()  # type: ignore[union-attr]
                for m in walk.members
                if (o := m.child_by_field_name("object")) is not None and (o.text or b"").decode() in names
            }
        )


@pytest.mark.parametrize(
    "text",
    [p.read_bytes() for p in SOURCES[::5]]
    + _DAMAGED
    + [b"export = handler;", b"export\n= h", b"export default x = 1", b"'export = x'; exports.h = 1", b"export ="],
)
def test_an_export_assignment_is_found_where_export_stands(text: bytes) -> None:
    module = build_module(SourceFile(Path("handler.ts"), text))
    walked = any(c.type == "=" for e in _Walk(module.file.root).exports for c in e.children)
    assert handlers._assigns_export(module) == walked


def test_nodes_with_the_same_range_come_in_the_order_of_a_walk() -> None:
    file = SourceFile(Path("order.ts"), b"f()\nnew A(g())")
    walk = _Walk(file.root)
    call, statement = walk.calls[0], file.root.children[0]
    assert (call.start_byte, call.end_byte) == (statement.start_byte, statement.end_byte)
    new, inner = walk.news[0], walk.calls[1]
    for nodes in ([call, statement, inner, new], [inner, new, statement, call]):
        assert in_document_order(nodes) == [statement, call, new, inner]


def test_nodes_found_where_words_stand_come_enclosing_first() -> None:
    module = build_module(
        SourceFile(Path("order.ts"), b"defineA(defineB()).defineC(); new A(new B(this)); a.env.env.b")
    )
    found = _found_where_words_stand(module)
    text = module.file.text
    assert [text[a:b] for a, b in found["define calls"]] == [
        b"defineA(defineB()).defineC()",
        b"defineA(defineB())",
        b"defineB()",
    ]
    assert [text[a:b] for a, b in found["news"]] == [b"new A(new B(this))", b"new B(this)"]
    assert [text[a:b] for a, b in found["env members"]] == [b"a.env.env", b"a.env"]

"""A file's node index is the same whether the tree is walked (small projects: no query to compile)
or queried (past the walking budget); what the model finds where a word stands, without the index, is
what the index holds, in its order."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from tree_sitter import Node

from amplint import syntax
from amplint.model import cdk, handlers, schema
from amplint.model.modules import (
    Module,
    build_module,
    calls_named,
    keywords,
    members_named,
    new_expressions,
    property_reads,
)
from amplint.syntax import SourceFile, _queried_index, _walked_index

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = sorted(
    p for p in FIXTURES.rglob("*") if p.suffix in {".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx"} and p.is_file()
)


def _as_spans(index: syntax.NodeIndex) -> dict[str, list[tuple[int, int, str]]]:
    return {field: [(n.start_byte, n.end_byte, n.type) for n in getattr(index, field)] for field in index.__slots__}


def test_walking_and_querying_index_every_fixture_file_alike() -> None:
    assert len(SOURCES) > 100
    for path in SOURCES:
        file = SourceFile(path, path.read_bytes())
        assert _as_spans(_walked_index(file.root)) == _as_spans(_queried_index(file.root, file.tsx)), path


def test_nodes_that_start_together_come_enclosing_first() -> None:
    # The query returns `x.y` before `x.y(z).w` and `h()` before `f(g(h()))(1)`: both ways must give
    # document order, the enclosing node first.
    file = SourceFile(Path("order.ts"), b"a.b.c.d(); f(g(h()))(1); x.y(z).w; new A(new B())")
    for index in (_walked_index(file.root), _queried_index(file.root, file.tsx)):
        assert [n.text for n in index.members] == [b"a.b.c.d", b"a.b.c", b"a.b", b"x.y(z).w", b"x.y"]
        assert [n.text for n in index.calls] == [
            b"a.b.c.d()",
            b"f(g(h()))(1)",
            b"f(g(h()))",
            b"g(h())",
            b"h()",
            b"x.y(z)",
        ]
        assert [n.text for n in index.news] == [b"new A(new B())", b"new B()"]


@pytest.mark.parametrize("walked", [0, syntax._WALK_BUDGET])
def test_a_file_is_walked_within_the_budget_and_queried_past_it(monkeypatch: pytest.MonkeyPatch, walked: int) -> None:
    monkeypatch.setattr(syntax, "_walked", walked)
    used = []
    monkeypatch.setattr(syntax, "_walked_index", lambda root: used.append("walk") or _walked_index(root))
    monkeypatch.setattr(syntax, "_queried_index", lambda root, tsx: used.append("query") or _queried_index(root, tsx))
    text = b"export const handler = async () => fetch('https://example.com');"
    assert [n.text for n in SourceFile(Path("handler.ts"), text).index.calls] == [b"fetch('https://example.com')"]
    assert used == (["walk"] if walked == 0 else ["query"])
    assert syntax._walked == walked + (len(text) if walked == 0 else 0)


# -- what the model finds where a word stands, without the index ---------------------------------


def _found_where_words_stand(module: Module) -> dict[str, list[tuple[int, int]]]:
    def spans(nodes: Iterable[Node]) -> list[tuple[int, int]]:
        return [(n.start_byte, n.end_byte) for n in nodes]

    return {
        "news": spans(new_expressions(module)),
        "this": spans(keywords(module, b"this")),
        "returns": spans(module.fact(handlers._return_statements)),
        "operation calls": spans(c.call for c in handlers._read_operation_calls(module)),
        "client members": spans(r.member for r in handlers._read_member_reads(module)),
        "resource members": spans(members_named(module, b"resource")),
        "Duration members": spans(m for m, _, _ in module.fact(cdk._duration_members)),
        "field rule calls": spans(module.fact(schema._field_rule_calls)),
        "schedule calls": spans(call for call, _, _ in module.fact(cdk._schedule_calls)),
        "data variable members": spans(handlers._members_naming(module.file, handlers.DATA_VARIABLE_WORDS)),
        "members off allow": spans(schema._members_off(module, "allow")),
        "backend reads": spans(r.member for r in property_reads(module, "backend")),
        "define calls": spans(c.call for c in calls_named(module, prefixes=(b"define",))),
        "member calls": spans(c.call for c in calls_named(module, (b"resource", b"function"), members_only=True)),
        "calls": spans(c.call for c in calls_named(module, (b"configure", b"generateClient", b"secret"))),
        "resources members": spans(members_named(module, b"resources")),
        "env members": spans(members_named(module, b"env")),
    }


def _from_the_index(module: Module, found: dict[str, list[tuple[int, int]]]) -> dict[str, list[tuple[int, int]]]:
    """The same nodes, ordered as the index lists them (news and `this`: every one the index holds)."""
    index = module.file.index

    def ordered(nodes: list[Node], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        position = {(n.start_byte, n.end_byte): i for i, n in reversed(list(enumerate(nodes)))}
        return sorted(spans, key=position.__getitem__)

    return {
        "news": [(n.start_byte, n.end_byte) for n in index.news],
        "this": [(n.start_byte, n.end_byte) for n in index.this],
        "returns": [(n.start_byte, n.end_byte) for n in index.returns],
        "operation calls": [(c.call.start_byte, c.call.end_byte) for c in _operation_calls(module, index.calls)],
        "client members": [(n.start_byte, n.end_byte) for n in _client_members(module, index.members)],
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
    """What `_read_operation_calls` found when it read every call of the index."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "_operation_call_candidates", lambda _: calls)
        return handlers._read_operation_calls(module)


def _client_members(module: Module, members: list[Node]) -> list[Node]:
    """What `_read_member_reads` read off the index: every member named like a client's, read as one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(handlers, "in_document_order", lambda *_: members)
        return [
            r.member
            for r in handlers._read_member_reads(module)
            if (p := r.member.child_by_field_name("property")) is not None
            and p.text is not None
            and p.text in handlers._OPERATION_WORDS
        ]


@pytest.mark.parametrize("text", [p.read_bytes() for p in SOURCES[::7]] + _DAMAGED)
def test_what_is_found_where_a_word_stands_is_what_the_index_holds_in_its_order(text: bytes) -> None:
    module = build_module(SourceFile(Path("file.ts"), text))
    found = _found_where_words_stand(module)
    assert found == _from_the_index(module, found)


def test_nodes_found_where_words_stand_come_enclosing_first_without_building_the_index() -> None:
    module = build_module(
        SourceFile(Path("order.ts"), b"defineA(defineB()).defineC(); new A(new B(this)); a.env.env.b")
    )
    found = _found_where_words_stand(module)
    assert module.file._index is None  # the point: a file that needs nothing else is never walked whole
    text = module.file.text
    assert [text[a:b] for a, b in found["define calls"]] == [
        b"defineA(defineB()).defineC()",
        b"defineA(defineB())",
        b"defineB()",
    ]
    assert [text[a:b] for a, b in found["news"]] == [b"new A(new B(this))", b"new B(this)"]
    assert [text[a:b] for a, b in found["env members"]] == [b"a.env.env", b"a.env"]

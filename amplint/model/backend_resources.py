"""What the backend module reads from `backend.<key>.resources`: the CDK resources Amplify built for
a registered function, data, auth or storage (`resources.lambda`, `resources.tables.<model>`, ...)."""

from __future__ import annotations

from tree_sitter import Node

from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import ByteRange, SourceFile, byte_range, property_name, text, unwrap
from .join import DefineBackend
from .loading import runs_on_load
from .modules import Module, in_document_order, members_named
from .values import evaluate

# Where Amplify puts a data resource's tables, by model: `resources.tables` and
# `resources.cfnResources.amplifyDynamoDbTables`.
TABLE_GROUPS = frozenset({"tables", "amplifyDynamoDbTables"})
_TABLE_GROUPS = frozenset(group.encode() for group in TABLE_GROUPS)


class TableRead(NamedTuple):
    """`<...>.tables.<Model>.<member>` or `<...>.tables['<Model>'].<member>` (also through
    `amplifyDynamoDbTables`) in the backend module: a model's table, read from (not through `?.`)."""

    backend_key: str | None  # the registration key at the chain's root; None when the root is not the backend
    model: str
    text: str  # the table's expression as written (`backend.data.resources.tables.Todo`)
    read: str  # the member read from the table
    runs_on_load: bool  # certainly runs as the backend module loads (top level, unconditional)
    location: Location  # the model's name


class ResourceMemberRead(NamedTuple):
    """`backend.<key>...resources.<resource>.<member>` in the backend module: a member read from one
    of the CDK resources Amplify built (`backend.fn.resources.lambda.addEnvironment`)."""

    backend_key: str
    resource: str  # `lambda`, `userPool`, ...
    resource_text: str  # the resource's expression as written (`backend.fn.resources.lambda`)
    member: str
    at: ByteRange  # the member's name
    file: SourceFile

    @property
    def location(self) -> Location:
        """The member's name (worked out when a finding needs it: most reads are fine)."""
        return self.file.location_at(self.at)


def table_reads(define: DefineBackend) -> list[TableRead]:
    """The tables the backend module reads a member from, in the order amplint finds them: member
    expressions in document order, then `x['Model']` subscripts (in document order too)."""
    module = define.module
    if not module.file.mentions(b"ables"):
        return []
    found = []
    for member in _read_from_groups(module):
        holder = unwrap(member.child_by_field_name("object"))
        if holder is None or holder.type != "member_expression":
            continue
        group = holder.child_by_field_name("property")
        if group is None or group.text not in _TABLE_GROUPS:
            continue
        key_node = member.child_by_field_name("property") or member.child_by_field_name("index")
        if key_node is None:
            continue
        name = property_name(key_node) if member.type == "member_expression" else evaluate(module, key_node)
        if not isinstance(name, str):
            continue
        after = member.parent
        if after is None or after.type != "member_expression" or after.child_by_field_name("object") != member:
            continue  # not read from (passed on)
        if text(after).startswith(text(member) + "?."):
            continue
        found.append(
            TableRead(
                resource_root_key(holder, define.binding),
                name,
                text(member),
                text(after.child_by_field_name("property")),
                runs_on_load(member),
                module.file.location(key_node),
            )
        )
    return found


def resource_member_reads(define: DefineBackend) -> list[ResourceMemberRead]:
    """Members read directly from `backend.<key>...resources.<resource>` in the backend module (no
    cast, parenthesis or name in between: those type the resource otherwise, or hide it)."""
    module = define.module
    if define.binding is None:
        return []
    found = []
    for member in _read_from_resources(module):
        resource = member.child_by_field_name("object")
        if resource is None or resource.type != "member_expression":
            continue
        holder = resource.child_by_field_name("object")
        if holder is None or holder.type != "member_expression":
            continue
        group = holder.child_by_field_name("property")
        if group is None or group.text != b"resources":
            continue
        key = resource_root_key(holder, define.binding)
        if key is None:
            continue
        prop = member.child_by_field_name("property")
        found.append(
            ResourceMemberRead(
                key,
                text(resource.child_by_field_name("property")),
                text(resource),
                text(prop),
                byte_range(prop or member),
                module.file,
            )
        )
    return found


def resource_root_key(node: Node | None, binding: str | None) -> str | None:
    """The registration key of `backend.<key>.resources...`, through the member chain (`.x`, `['x']`,
    `!`, parentheses; not casts or names, unlike `backend_key_of`: a cast types the value otherwise)."""
    while node is not None and node.type in (
        "member_expression",
        "subscript_expression",
        "non_null_expression",
        "parenthesized_expression",
    ):
        inner = (
            node.child_by_field_name("object")
            if node.type != "non_null_expression" and node.type != "parenthesized_expression"
            else node.named_children[0]
        )
        if (
            inner is not None
            and inner.type == "identifier"
            and text(inner) == binding
            and node.type == "member_expression"
        ):
            return text(node.child_by_field_name("property"))
        node = inner
    return None


def _read_from_groups(module: Module) -> list[Node]:
    """The members and subscripts whose object is a table group (`<...>.tables`, through casts and
    parentheses): members in document order, then subscripts. Found from the groups' names, where
    they stand in the source."""
    readers = []
    for word in (b"tables", b"amplifyDynamoDbTables"):
        for holder in members_named(module, word):
            inner, parent = holder, holder.parent
            while parent is not None and unwrap(parent) == holder:  # `(x.tables as T)`, `x.tables!`
                inner, parent = parent, parent.parent
            if (
                parent is not None
                and parent.type in ("member_expression", "subscript_expression")
                and parent.child_by_field_name("object") == inner
            ):
                readers.append(parent)
    members = in_document_order([r for r in readers if r.type == "member_expression"])
    return members + sorted((r for r in readers if r.type == "subscript_expression"), key=lambda r: r.start_byte)


def _read_from_resources(module: Module) -> list[Node]:
    """The members `<...>.resources.<resource>.<member>`, in document order; found from where
    `resources` stands in the source."""
    members = []
    for holder in members_named(module, b"resources"):
        resource = holder.parent
        if resource is None or resource.type != "member_expression" or resource.child_by_field_name("object") != holder:
            continue
        member = resource.parent
        if (
            member is not None
            and member.type == "member_expression"
            and member.child_by_field_name("object") == resource
        ):
            members.append(member)
    return in_document_order(members)

"""YAML text to plain Python values that remember the line and column of every field.

libyaml (through PyYAML's C composer) does the parsing; this module turns its node graph into
dicts, lists and scalars while recording positions keyed by field path, with hard bounds on
alias expansion and nesting so that hostile input cannot exhaust memory or the C stack.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import GeneratorType
from typing import Any

import yaml

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]

# libyaml's composer recurses in C: far deeper nesting than this crashes the interpreter.
MAX_NESTING = 200
# An alias may be expanded, but the expanded document may hold at most this many nodes
# more than were written, so a "billion laughs" file is refused rather than exploded.
ALIAS_EXPANSION_ALLOWANCE = 100_000

# An integer longer than this many bits may have more decimal digits than Python converts
# to text (``sys.get_int_max_str_digits``): such values are checked before they are kept.
_INT_BITS_WORTH_CHECKING = 4000
# Shown in a finding: enough to recognise the value, never a megabyte of it.
_SHOWN_VALUE_CHARS = 40

_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Used only for its resolver and its table of scalar constructors, which keep no state.
_SCALAR_CONSTRUCTOR = yaml.SafeLoader("")
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_SEQUENCE_TAG = "tag:yaml.org,2002:seq"
_MAPPING_TAG = "tag:yaml.org,2002:map"
# PyYAML's table: first character of a plain scalar (None: any) -> (tag, pattern) to try.
_ImplicitResolvers = dict[str | None, list[tuple[str, re.Pattern[str]]]]
_BRACKETS = re.compile(r"""[\[\]{}]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'""")


class _ManifestLoader(_BASE_LOADER):  # type: ignore[misc]
    """The safe loader, minus the per-node work its path resolvers would need.

    The composer calls back into Python for every node: ``descend_resolver`` and
    ``ascend_resolver`` (which track paths only for path resolvers, of which the safe loader
    has none) and ``resolve``. Without path resolvers, resolving is PyYAML's own rule
    (``BaseResolver.resolve``) in one call instead of two: a plain scalar's tag is that of
    the first implicit resolver (by first character, then the wildcard ones) that matches
    its text, and every other node gets the default tag of its kind.
    """

    # C callables that accept the composer's arguments and do nothing: a Python no-op would
    # still cost a call per node. Safe only while there are no path resolvers (asserted).
    descend_resolver = dict[Any, Any]().get
    ascend_resolver = tuple

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                resolvers: _ImplicitResolvers = self.yaml_implicit_resolvers
                for tag, pattern in resolvers.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
                for tag, pattern in resolvers.get(None, ()):
                    if pattern.match(value):
                        return tag
            return _STR_TAG
        if kind is yaml.SequenceNode:
            return _SEQUENCE_TAG
        return _MAPPING_TAG


assert not _ManifestLoader.yaml_path_resolvers, "path resolvers need descend_resolver"


class YamlLimitError(Exception):
    """The document exceeds a safety bound (alias expansion, nesting, recursion)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


class YamlSyntaxError(Exception):
    """The text is not valid YAML; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class ValueProblem:
    """A scalar that cannot be read as its type (``!!int abc``, a 5,000-digit integer):
    it is kept as its text, and said here so that the caller reports it at its line."""

    message: str
    line: int
    column: int


@dataclass(frozen=True)
class ParsedDocument:
    """One YAML document: its value and the position of every node by field path."""

    value: Any
    positions: dict[FieldPath, Position]
    line: int
    problems: tuple[ValueProblem, ...] = ()


def check_nesting(text: str, first_line: int = 1) -> None:
    """Refuse flow nesting deep enough to overflow libyaml's recursive composer."""
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return
    depth = 0
    for match in _BRACKETS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_NESTING:
                line = first_line + text.count("\n", 0, match.start())
                raise YamlLimitError(f"nesting deeper than {MAX_NESTING} levels", line)
        elif token in "]}":
            depth = max(0, depth - 1)


def parse_documents(text: str, first_line: int = 1) -> Iterator[ParsedDocument]:
    """Parse every document of ``text``; line numbers are offset by ``first_line - 1``."""
    check_nesting(text, first_line)
    try:
        nodes = list(yaml.compose_all(text, Loader=_ManifestLoader))
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, first_line) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(str(error), first_line, 1) from None
    anchors = "&" in text  # the only way to write an anchor, without which no alias exists
    for node in nodes:
        if node is None:
            continue
        converter = _Converter(first_line - 1, anchors=anchors)
        value = converter.convert(node, ())
        yield ParsedDocument(
            value,
            converter.positions,
            node.start_mark.line + first_line,
            tuple(converter.problems.values()),
        )


def _scalar_value(node: yaml.ScalarNode) -> tuple[Any, str | None]:
    """The typed value of a scalar, or its text and what is wrong with it.

    The text is kept silently when the tag is unknown (``!custom x``) or a plain scalar only
    looks like a type (``2025-13-01``), as a string is what Kubernetes reads there too. An
    explicit standard tag the text does not fit (``!!int abc``, an empty ``!!float``) and an
    integer too long to write out in decimal are problems: Kubernetes refuses such values.
    """
    constructor = _SCALAR_CONSTRUCTOR.yaml_constructors.get(node.tag)
    if constructor is None:
        return node.value, None
    try:
        value = constructor(_SCALAR_CONSTRUCTOR, node)
        if isinstance(value, GeneratorType):
            # Collection constructors (`!!seq`, `!!set`, `!!omap` on a scalar) build in two
            # steps; the second refuses the scalar.
            built = next(value)
            for _ in value:
                pass
            value = built
    # PyYAML's scalar constructors assume well-formed text: on hostile text they raise
    # IndexError (empty `!!int`), AttributeError (`!!timestamp x`) and more.
    except Exception:
        if not _is_explicitly_tagged(node) and not node.tag.endswith(":int"):
            return node.value, None
        return node.value, f"`{_short_tag(node.tag)}` value {_shown(node.value)} is not valid"
    if isinstance(value, int) and value.bit_length() > _INT_BITS_WORTH_CHECKING:
        try:
            str(value)
        except ValueError:
            limit = sys.get_int_max_str_digits()
            return node.value, f"integer of more than {limit} digits {_shown(node.value)}"
    return value, None


def _is_explicitly_tagged(node: yaml.ScalarNode) -> bool:
    resolve: Callable[[type[yaml.Node], str, tuple[bool, bool]], str] = _SCALAR_CONSTRUCTOR.resolve
    # A plain scalar's style is None (PyYAML) or "" (libyaml).
    plain = not node.style
    implicit = resolve(yaml.ScalarNode, node.value, (True, False)) if plain else _STR_TAG
    return node.tag != implicit


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:")


def _shown(text: str) -> str:
    if len(text) <= _SHOWN_VALUE_CHARS:
        return repr(text)
    return repr(text[:_SHOWN_VALUE_CHARS]) + f"... ({len(text)} characters)"


def _syntax_error(error: yaml.MarkedYAMLError, first_line: int) -> YamlSyntaxError:
    """Where the reader should look: a construct left open (an unclosed quote or bracket)
    is reported where it starts, with the line where parsing gave up."""
    problem = error.problem or "invalid YAML"
    mark = error.problem_mark
    if error.context_mark is not None and error.context:
        problem_line = first_line + (mark.line if mark else 0)
        context = f"{error.context} starting here, {problem} at line {problem_line}"
        mark = error.context_mark
        problem = context
    line = first_line + (mark.line if mark else 0)
    column = (mark.column + 1) if mark else 1
    return YamlSyntaxError(problem, line, column)


class _Converter:
    """Walks one composed node graph; tracks budget, ancestry (cycles) and positions.

    Most nodes are plain strings: the mapping and sequence loops handle them inline rather
    than through a call per node, which halves the cost of converting a manifest.
    """

    def __init__(self, line_offset: int, *, anchors: bool = True) -> None:
        self.line_offset = line_offset
        self.positions: dict[FieldPath, Position] = {}
        # Without an anchor there is no alias: every node is reached once and none contains
        # itself, so nothing needs remembering (None) and no budget can be exceeded.
        self.seen: set[int] | None = set() if anchors else None
        self.active: set[int] = set()
        self.expanded = 0
        # By node, so that a scalar reached again through an alias is reported once.
        self.problems: dict[int, ValueProblem] = {}

    def position(self, node: yaml.Node) -> Position:
        return (node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def visit(self, node: yaml.Node, depth: int) -> None:
        """Count a node reached again (an alias) against the budget; bound the nesting."""
        if self.seen is not None:
            if id(node) in self.seen:
                self.visit_again(node)
            else:
                self.seen.add(id(node))
        if depth > MAX_NESTING:
            self.too_deep(node)

    def visit_again(self, node: yaml.Node) -> None:
        self.expanded += 1
        if self.expanded > ALIAS_EXPANSION_ALLOWANCE:
            raise YamlLimitError(
                f"aliases expand to more than {ALIAS_EXPANSION_ALLOWANCE} extra nodes "
                "(a YAML alias bomb?)",
                self.position(node)[0],
            )

    def too_deep(self, node: yaml.Node) -> None:
        raise YamlLimitError(f"nesting deeper than {MAX_NESTING} levels", self.position(node)[0])

    def convert(
        self,
        node: yaml.Node,
        path: FieldPath,
        depth: int = 0,
        key_position: Position | None = None,
    ) -> Any:
        self.visit(node, depth)
        if path not in self.positions:
            self.positions[path] = key_position or self.position(node)
        if node.__class__ is yaml.ScalarNode:
            if node.tag == _STR_TAG:
                return node.value
            return self.scalar(node)
        if self.seen is None:
            return self.convert_collection(node, path, depth)
        if id(node) in self.active:
            raise YamlLimitError(
                "recursive alias (a node that contains itself)", self.position(node)[0]
            )
        self.active.add(id(node))
        try:
            return self.convert_collection(node, path, depth)
        finally:
            self.active.discard(id(node))

    def convert_collection(self, node: yaml.Node, path: FieldPath, depth: int) -> Any:
        if node.__class__ is yaml.SequenceNode:
            return self.convert_sequence(node, path, depth)
        if node.__class__ is yaml.MappingNode:
            return self.convert_mapping(node, path, depth, frozenset())
        raise YamlSyntaxError(f"unsupported node {node.tag}", *self.position(node))

    def convert_sequence(self, node: yaml.SequenceNode, path: FieldPath, depth: int) -> list[Any]:
        positions, seen = self.positions, self.seen
        offset, child_depth = self.line_offset + 1, depth + 1
        result: list[Any] = []
        for index, item in enumerate(node.value):
            if item.__class__ is yaml.ScalarNode and item.tag == _STR_TAG:
                # convert() inlined for the common case: same budget, nesting and position.
                if seen is not None:
                    if id(item) in seen:
                        self.visit_again(item)
                    else:
                        seen.add(id(item))
                if child_depth > MAX_NESTING:
                    self.too_deep(item)
                item_path = (*path, index)
                if item_path not in positions:
                    mark = item.start_mark
                    positions[item_path] = (mark.line + offset, mark.column + 1)
                result.append(item.value)
            else:
                result.append(self.convert(item, (*path, index), child_depth))
        return result

    def convert_mapping(
        self, node: yaml.MappingNode, path: FieldPath, depth: int, active: frozenset[int]
    ) -> dict[Any, Any]:
        if id(node) in active:
            raise YamlLimitError("recursive merge key", self.position(node)[0])
        positions, seen = self.positions, self.seen
        offset, child_depth = self.line_offset + 1, depth + 1
        result: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_tag = key_node.tag
            if key_tag == _MERGE_TAG:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for source in sources:
                    if isinstance(source, yaml.MappingNode):
                        inner = self.convert_mapping(source, path, depth + 1, active | {id(node)})
                        for merge_key, merge_value in inner.items():
                            merged.setdefault(merge_key, merge_value)
                continue
            if key_tag == _STR_TAG and key_node.__class__ is yaml.ScalarNode:
                key = key_node.value
            else:
                key = self.convert_key(key_node)
            child_path = (*path, key)
            mark = key_node.start_mark
            if value_node.__class__ is yaml.ScalarNode and value_node.tag == _STR_TAG:
                # convert() inlined for the common case: same budget, nesting and position.
                if seen is not None:
                    if id(value_node) in seen:
                        self.visit_again(value_node)
                    else:
                        seen.add(id(value_node))
                if child_depth > MAX_NESTING:
                    self.too_deep(value_node)
                if child_path not in positions:
                    positions[child_path] = (mark.line + offset, mark.column + 1)
                result[key] = value_node.value
            else:
                result[key] = self.convert(
                    value_node, child_path, child_depth, (mark.line + offset, mark.column + 1)
                )
        for merge_key, merge_value in merged.items():
            result.setdefault(merge_key, merge_value)
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        value, problem = _scalar_value(node)
        if problem is not None and id(node) not in self.problems:
            self.problems[id(node)] = ValueProblem(problem, *self.position(node))
        return value

    def convert_key(self, node: yaml.Node) -> str:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                return str(node.value)
            return str(self.scalar(node))
        # Complex keys never occur in Kubernetes objects; keep their text so nothing is lost.
        return f"<{node.tag}@{node.start_mark.line + 1}>"

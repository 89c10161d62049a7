"""Front matter and source entries: the YAML/TOML block at the top of an article, `sources:` lists
and manifests, read as data with bounded depth and no YAML aliases."""

from __future__ import annotations

import re
import reprlib
import tomllib
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError
from .models import SourceRef


class _UniqueKeys:
    """A key written twice in one mapping is an error: YAML loaders keep the last one silently, so a
    second `sources:` list would drop the first one's sources without a word."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = (key_node.tag, key_node.value)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key_node.value!r} is written twice", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)  # type: ignore[misc]


class _FastLoader(_UniqueKeys, yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's parser with the duplicate-key check."""


class _BoundedLoader(_UniqueKeys, yaml.SafeLoader):
    """SafeLoader without aliases and with a bounded nesting depth: no alias bombs, no deep recursion."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not supported here", event.start_mark
            )
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_YAML_DEPTH} levels", self.peek_event().start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


MAX_YAML_DEPTH = 50


def load_yaml(text: str) -> Any:
    """yaml.safe_load without aliases and with at most MAX_YAML_DEPTH levels of nesting.

    Raises yaml.YAMLError, or ValueError for a value Python refuses (an integer of 4,300+ digits).
    Front matter that libyaml parses within those bounds is loaded by it (five times faster: the
    front matter of every article is read before and during a run); anything else goes to the pure
    Python loader, whose errors are the ones reported.
    """
    if _plain_for_libyaml(text):
        return yaml.load(text, Loader=_FastLoader)
    return yaml.load(text, Loader=_BoundedLoader)


def _plain_for_libyaml(text: str) -> bool:
    """libyaml is there, and `text` parses with no alias and no node deeper than MAX_YAML_DEPTH."""
    if not getattr(yaml, "__with_libyaml__", False):
        return False
    starts, ends = (
        (yaml.MappingStartEvent, yaml.SequenceStartEvent),
        (yaml.MappingEndEvent, yaml.SequenceEndEvent),
    )
    open_collections = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.AliasEvent):
                return False
            if isinstance(event, ends):
                open_collections -= 1
            elif isinstance(event, yaml.NodeEvent) and open_collections + 1 > MAX_YAML_DEPTH:
                return False
            elif isinstance(event, starts):
                open_collections += 1
    except yaml.YAMLError:
        return False
    return True


def parse_front_matter(fm: re.Match[str], name: str) -> dict[str, Any]:
    """The TOML (`+++`) or YAML (`---`) front matter as a dict; InputError when it is not one."""
    if fm["toml"] is not None:
        try:
            return tomllib.loads(fm["toml"])
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{name}: invalid front matter (TOML between +++ lines): {exc}") from exc
    try:
        meta = load_yaml(fm["yaml"])
    except ValueError as exc:
        raise InputError(f"{name}: invalid front matter: {' '.join(str(exc).split())[:200]}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise InputError(f"{name}: invalid front matter{where}: {problem}") from exc
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise InputError(f"{name}: invalid front matter: expected 'key: value' lines")
    return meta


def parse_source_entries(
    entries: Any, folder: Path, *, origin: str, where: str, key: str = "sources"
) -> list[SourceRef]:
    """Turn a `sources:` list (URL strings, paths, or {url, file} maps) into SourceRefs."""
    if entries is None:
        return []
    if isinstance(entries, str | dict):
        entries = [entries]
    if not isinstance(entries, list):
        raise InputError(f"{where}: '{key}' must be a list of URLs, paths or {{url, file}} entries")
    refs = []
    for entry in entries:
        if isinstance(entry, str):
            refs.append(source_from_string(entry, folder, origin))
        elif isinstance(entry, dict):
            url = entry.get("url")
            file = entry.get("file") or entry.get("archive") or entry.get("path")
            if url is not None and not isinstance(url, str):
                raise InputError(f"{where}: a source 'url' must be a string, got {_short_repr(url)}")
            if file is not None and not isinstance(file, str):
                raise InputError(f"{where}: a source 'file' must be a path string, got {_short_repr(file)}")
            if not url and not file:
                raise InputError(f"{where}: a source entry needs 'url' or 'file': {_short_repr(entry)}")
            refs.append(SourceRef(url=url or None, file=(folder / file) if file else None, origin=origin))
        else:
            raise InputError(f"{where}: cannot read source entry {_short_repr(entry)}")
    return refs


def _short_repr(value: Any) -> str:
    """A repr of bounded size and depth (a value from YAML may be nested or long)."""
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother = 3, 80, 80
    return short.repr(value)


def source_from_string(value: str, folder: Path, origin: str) -> SourceRef:
    value = value.strip()
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        return SourceRef(url=value, origin=origin)
    return SourceRef(url=None, file=folder / value, origin=origin)


# --- HTML -----------------------------------------------------------------------------------

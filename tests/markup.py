"""What assistive technology trips on in a rendered page, found by parsing it with html5lib:
duplicate ids, labels pointing at nothing, form controls without a label, and interactive
elements inside one another (a button in a link). axe-core in the browser tests misses some
of these (it looks at what is on screen), so every page the isolation matrix and the browser
tests render goes through `problems()` as well (tests/conftest.py, tests/e2e/conftest.py)."""

from collections import Counter

import html5lib

# Controls a person fills in or picks, which need a name said aloud.
LABELLED = {"input", "select", "textarea"}
UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}
INTERACTIVE = {"button", "select", "textarea", "iframe", "summary"}
# What may hold nothing interactive: a link, a button, a <summary> (a <details> may).
CONTAINERS = {"a", "button", "summary"}


def _is_interactive(element) -> bool:
    tag = element.tag
    if tag == "a":
        return element.get("href") is not None
    if tag == "input":
        return (element.get("type") or "text").lower() != "hidden"
    return tag in INTERACTIVE


def problems(html: str, *, django_admin: bool = False) -> list[str]:
    """Every problem of the page, as sentences; [] for a clean page. Django's own admin
    labels the cells of its tabular inlines by the table's header, not by <label>: for its
    pages (`django_admin`) controls without a label are not counted."""
    root = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    parents = {child: parent for parent in root.iter() for child in parent}
    found = []
    ids = Counter(element.get("id") for element in root.iter() if element.get("id"))
    found += [f'id "{value}" is used {count} times' for value, count in ids.items() if count > 1]
    labelled_ids = set()
    for label in root.iter("label"):
        target = label.get("for")
        if target is None:
            continue
        labelled_ids.add(target)
        if target not in ids:
            found.append(f'<label for="{target}"> points at nothing')
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in LABELLED and not django_admin:
            kind = (element.get("type") or "text").lower()
            if element.tag == "input" and kind in UNLABELLED_INPUTS:
                continue
            if not _has_label(element, labelled_ids, parents):
                name = element.get("name") or element.get("id") or "?"
                found.append(f"<{element.tag} name={name!r}> has no label")
        if element.tag in CONTAINERS and (element.tag != "a" or element.get("href") is not None):
            for inner in element.iter():
                if inner is not element and isinstance(inner.tag, str) and _is_interactive(inner):
                    found.append(f"<{inner.tag}> inside <{element.tag}>")
                    break
    return found


def _has_label(element, labelled_ids: set, parents: dict) -> bool:
    if element.get("aria-label") or element.get("aria-labelledby") or element.get("title"):
        return True
    if element.get("id") and element.get("id") in labelled_ids:
        return True
    parent = parents.get(element)
    while parent is not None:
        if parent.tag == "label":
            return True
        parent = parents.get(parent)
    return False

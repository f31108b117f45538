"""What changed between two versions of a document, block by block, then word by word.

The snapshots are split into their blocks (headings, paragraphs, list items) so that the
comparison keeps the document's structure readable; a changed block shows the words removed
(<del>) and added (<ins>); a block that only exists on one side is marked whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

BLOCK_TAGS = {"h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote"}
_WORDS = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class Block:
    tag: str
    text: str


class _BlockParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._stack: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            if self._stack:  # a list item inside a paragraph, etc.: close the outer text
                self._flush_current()
            self._stack.append((tag, []))
        elif tag == "br" and self._stack:
            self._stack[-1][1].append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS and self._stack and self._stack[-1][0] == tag:
            self._flush_current(pop=True)

    def handle_data(self, data):
        if self._stack:
            self._stack[-1][1].append(data)
        elif data.strip():
            self.blocks.append(Block("p", " ".join(data.split())))

    def _flush_current(self, pop: bool = False):
        tag, parts = self._stack.pop() if pop else self._stack[-1]
        text = " ".join("".join(parts).split())
        if text:
            self.blocks.append(Block(tag, text))
        if not pop:
            parts.clear()

    def close(self):
        super().close()
        while self._stack:
            self._flush_current(pop=True)


def html_blocks(html: str) -> list[Block]:
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser.blocks


@dataclass(frozen=True)
class DiffBlock:
    tag: str  # h2..h6, p, li, blockquote
    status: str  # "equal", "changed", "inserted", "deleted"
    html: SafeString


def _words_diff(old: str, new: str) -> SafeString:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]).rstrip())}</del> ")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]).rstrip())}</ins> ")
    return mark_safe("".join(out).strip())  # every piece of text above is escaped


def _whole(block: Block, status: str) -> DiffBlock:
    mark = "ins" if status == "inserted" else "del"
    return DiffBlock(block.tag, status, mark_safe(f"<{mark}>{escape(block.text)}</{mark}>"))


def document_diff(old_html: str, new_html: str) -> list[DiffBlock]:
    old, new = html_blocks(old_html), html_blocks(new_html)
    result: list[DiffBlock] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.extend(DiffBlock(b.tag, "equal", mark_safe(escape(b.text))) for b in new[j1:j2])
        elif op == "delete":
            result.extend(_whole(b, "deleted") for b in old[i1:i2])
        elif op == "insert":
            result.extend(_whole(b, "inserted") for b in new[j1:j2])
        else:  # replace: pair the blocks one to one, the surplus is deleted or inserted
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                before, after = old[i1 + k], new[j1 + k]
                similar = SequenceMatcher(None, before.text, after.text).quick_ratio() > 0.4
                if similar and before.tag == after.tag:
                    result.append(
                        DiffBlock(after.tag, "changed", _words_diff(before.text, after.text))
                    )
                else:
                    result.extend([_whole(before, "deleted"), _whole(after, "inserted")])
            result.extend(_whole(b, "deleted") for b in old[i1 + pairs : i2])
            result.extend(_whole(b, "inserted") for b in new[j1 + pairs : j2])
    return result

"""Cut page furniture out of article text and keep it aside as `Boilerplate`.

Scraped pages end in a tail that is not the article: "Read more:", a donation appeal, a view
counter, an author box, related links. Some furniture also sits between paragraphs (an
"Advertisement" line, a share bar, "Read more: <other headline>").

The strategy, over the article's lines (one paragraph per line):

1. classify every line against `LINE_RULES` (a rule set of whole-line patterns) and the
   donation-appeal test (`appeal_reason`), which cuts a long paragraph only when it carries a
   strong appeal ("readers like you", "become a patron"), never for the bare word "support";
2. mark every run of at least `MENU_RUN` consecutive menu items (short lines without
   sentence punctuation, mostly without digits) as navigation: a site menu dumped into the
   text, far longer than any list an article holds;
3. find the earliest *tail marker* (a short line such as "Read more:" or "Related:") after some
   article text, such that what follows it is furniture: the unclassified text after it is
   small next to the article before it; cut everything from there to the end;
4. cut the isolated furniture lines found anywhere else (a rule marked `alone=False`, such as
   a bare link, only marks a tail: in the middle of an article it is a reference, and stays).

Each cut keeps its text and a reason ("read more", "donation appeal", "view counter", ...);
neighbouring lines with the same reason become one `Boilerplate`.
"""

from __future__ import annotations

import re
from typing import Optional

from claimledger.models import Boilerplate

_I = re.IGNORECASE


def _rule(pattern: str, reason: str, *, tail: bool = False, max_len: int = 120,
          alone: bool = True):
    return (re.compile(pattern, _I), reason, tail, max_len, alone)


# (pattern matched against the whole stripped line, reason, is a tail marker, longest line,
# cut where it stands). A tail marker line may start the page tail; every rule but those with
# alone=False also removes its line where it stands.
LINE_RULES = [
    # markers that start the tail of a scraped page
    _rule(r"(read|see) (more|also)\s*[:.…]*", "read more", tail=True),
    _rule(r"(read|see) (more|also)\s*[:|»>-]\s*\S.*", "read more"),
    _rule(r"(also read|read next|more reading|further reading)\s*[:.]?(\s*\S.*)?", "read more"),
    _rule(r"related(\s+(articles?|posts?|stories|news|content|coverage|reading|topics))?\s*[:.]?",
          "related links", tail=True),
    _rule(r"related(\s+(articles?|posts?|stories|news))?\s*[:|»-]\s*\S.*", "related links"),
    _rule(r"(you (may|might) also (like|be interested in)|recommended( for you| stories)?|"
          r"more (from|on|in) [\w\s'’&.-]{1,40}|most (read|popular|viewed)|trending( now)?|"
          r"don[’']t miss|popular (posts|stories|articles))\s*[:.…]*", "related links",
          tail=True),
    _rule(r"(original|view original|read (the )?original) (source|article|story|post)\s*[:.]?"
          r"(\s*\S+)?", "source link", tail=True),
    _rule(r"(source|via)\s*:\s*https?://\S+", "source link"),
    _rule(r"https?://\S+", "source link", tail=True, alone=False),
    _rule(r"\(?\s*visited\s+[\d,]+\s+times?(,\s*[\d,]+\s+visits?\s+today)?\s*\)?", "view counter",
          tail=True),
    _rule(r"[\d,.]+[km]?\s+(views|reads|visits)", "view counter"),
    _rule(r"(about the author|about author|author bio(graphy)?|written by)\s*[:.]?",
          "author box", tail=True),
    _rule(r"((write|e-?mail|contact|reach) (to )?[\w\s.'’-]{1,60}\bat\s+[\w.+-]+@[\w-]+\.[\w.]+|"
          r".{0,80}\b(may|can) be (reached|contacted) at\s+[\w.+-]+@[\w-]+\.[\w.]+)\b.*",
          "author box", max_len=250),
    _rule(r"(share|share this|share this (article|story|post|page)|share on \w+|share via \w+)"
          r"\s*[:!.]?", "share bar", tail=True),
    _rule(r"((share|post) (on|to) )?(facebook|twitter|x|whatsapp|linkedin|telegram|reddit|"
          r"pinterest|email|e-mail|print|tweet|pin it|copy link|messenger)"
          r"(\s*[|/·•,]\s*(facebook|twitter|x|whatsapp|linkedin|telegram|reddit|pinterest|email|"
          r"e-mail|print|tweet|pin it|copy link|messenger))*", "share bar"),
    _rule(r"(click|tap) (here|to) (to )?(share|tweet|print|email).*", "share bar"),
    _rule(r"(like|liked|enjoy|enjoyed|love) this (story|article|post)\?\s*share\b.*", "share bar"),
    _rule(r".*\b(click|tap)(ing)? here\b.*", "call to action"),
    _rule(r"(sign up|subscribe|register)( now| today| here)? (for|to) (our|the)\b.{0,60}"
          r"(newsletter|updates|briefing|digest|alerts?|mailing list).*", "newsletter",
          tail=True),
    _rule(r"(subscribe( now| today| here)?|get (our|the) newsletter|newsletter)\s*[:!.]?",
          "newsletter"),
    _rule(r"(enter your e-?mail|your e-?mail address).*", "newsletter"),
    _rule(r"(thanks?( you)? for (signing up|subscribing)|keep an eye on your inbox)\b.*",
          "newsletter"),
    _rule(r"(leave|post|add|write) a (comment|reply)\s*[:.]?|comments?\s*(\(\d+\))?\s*[:.]?|"
          r"(show|view|load|hide) (all )?comments( \(\d+\))?|[\d,]+\s+(comments?|responses?|"
          r"replies)|no comments( yet)?\.?|join the (discussion|conversation)\s*[:.]?",
          "comments", tail=True),
    _rule(r"(tags?|tagged( with)?|topics?|filed under|categor(y|ies)|keywords)\s*:.*", "tag list"),
    _rule(r"advertisement|advertising|sponsored( content)?|ad|ads|"
          r"(story|article) continues (below|after) (this )?(advertisement|ad)", "advertisement"),
    _rule(r"(we|this (web)?site|our (web)?site) uses? cookies.*|.*\b(accept|allow|manage) "
          r"(all )?cookies\b.*|.*\bcookie (policy|settings|preferences)\b.*", "cookie notice",
          max_len=300),
    _rule(r"(©|\(c\)|copyright\b).*|.*\ball rights reserved\b.*", "copyright", max_len=200),
    _rule(r"follow us( on [\w\s,&]+)?\s*[:!.]?|(like|follow) us on \w+.*|"
          r"join (us|our channel) on (telegram|facebook|twitter|x|whatsapp).*", "social links"),
    _rule(r"skip to (main )?content|(main )?menu|search|home|toggle navigation|back to top|"
          r"scroll to top|print this (page|article)", "navigation"),
    _rule(r"(the post|this (post|article|entry)) .{1,200} (appeared|was published) first on "
          r".{1,80}", "feed footer", max_len=400),
]

# Donation appeals: strong cues cut a paragraph of any length; weak cues only a short line
# that is nothing but an appeal ("Support us", "Donate").
_APPEAL_STRONG = re.compile(
    r"become an? (patron|member|supporter)|patreon|readers like you|"
    r"support (us|our (work|journalism|reporting|newsroom|mission|team)|"
    r"independent (journalism|media|reporting))|"
    r"help us (produce|continue|keep|grow|make|to produce|to continue)|join our community|"
    r"make a (donation|contribution)|donate (now|today|here|to us|to support)|chip in|"
    r"other ways to support|buy (us|me) a coffee|the cost of (one|a) cup of coffee|"
    r"you could close this page|consider (supporting|donating|subscribing)",
    _I,
)
_APPEAL_WEAK = re.compile(r"\b(support|donate|donation|contribute|patron|subscribe|paywall)\b",
                          _I)
_APPEAL_IMPERATIVE = re.compile(
    r"^\W*(please\s+)?(support|donate|contribute|become|join|help)\b", _I)

SHORT_LINE = 160


def appeal_reason(line: str) -> Optional[str]:
    """'donation appeal' if the line is a donation or membership appeal, else None.

    A long paragraph needs a strong cue; a paragraph that merely contains "support"
    ("allies pledged support to Kyiv") stays.
    """
    strong = len(_APPEAL_STRONG.findall(line))
    if strong and (len(line) <= SHORT_LINE or strong >= 2 or _APPEAL_WEAK.search(line)):
        return "donation appeal"
    if len(line) <= 60 and _APPEAL_IMPERATIVE.search(line) and _APPEAL_WEAK.search(line):
        return "donation appeal"
    return None


def classify_line(line: str) -> tuple[Optional[str], bool]:
    """(reason, is_tail_marker) for a page line, or (None, False) for article text."""
    reason, tail, _alone = _classify(line)
    return reason, tail


def _classify(line: str) -> tuple[Optional[str], bool, bool]:
    """(reason, is_tail_marker, cut where it stands) for a page line."""
    s = line.strip()
    if not s:
        return None, False, False
    for pattern, reason, tail, max_len, alone in LINE_RULES:
        if len(s) <= max_len and pattern.fullmatch(s):
            return reason, tail, alone
    reason = appeal_reason(s)
    if reason:
        # a short appeal line ("Become a Patron!") may also start a tail
        return reason, len(s) <= 60, True
    return None, False, False


# A menu item: a short line (a few words) that does not end as a sentence does.
MENU_RUN = 30
_MENU_ITEM_CHARS = 40
_MENU_ITEM_WORDS = 5
_SENTENCE_END = re.compile(r"[.!?:;…。！？]['\"”’)\]]*$")


def _menu_item(line: str) -> bool:
    return (len(line) <= _MENU_ITEM_CHARS and len(line.split()) <= _MENU_ITEM_WORDS
            and not _SENTENCE_END.search(line))


def menu_runs(lines: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each run of `MENU_RUN` or more menu items, of which under a third hold
    a digit (a long run of short lines full of numbers is more likely a table)."""
    runs = []
    i, n = 0, len(lines)
    while i < n:
        j = i
        while j < n and _menu_item(lines[j]):
            j += 1
        if j - i >= MENU_RUN and sum(any(c.isdigit() for c in line)
                                     for line in lines[i:j]) < (j - i) / 3:
            runs.append((i, j))
        i = max(j, i + 1)
    return runs


def split_furniture(lines: list[str]) -> tuple[list[str], list[Boilerplate]]:
    """Split article lines (one paragraph each, no blanks) into (kept lines, boilerplate)."""
    classes = [_classify(line) for line in lines]
    for start, end in menu_runs(lines):
        for i in range(start, end):
            classes[i] = ("navigation", False, True)
    n = len(lines)
    # text length of unclassified lines before / after each position
    content = [0 if reason else len(line) for line, (reason, _, _) in zip(lines, classes)]
    before = [0] * (n + 1)
    for i in range(n):
        before[i + 1] = before[i] + content[i]
    total = before[n]

    cut = n
    for i, (_, tail, _) in enumerate(classes):
        if not tail or before[i] == 0:
            continue
        after = total - before[i + 1]
        if after <= 0.25 * before[i]:
            cut = i
            break

    kept: list[str] = []
    removed: list[tuple[str, str]] = []
    tail_reason = "page tail"
    for i, line in enumerate(lines):
        reason, _, alone = classes[i]
        if i >= cut:
            # an unclassified line in the tail belongs to the furniture above it
            tail_reason = reason or tail_reason
            removed.append((line, tail_reason))
        elif reason and alone:
            removed.append((line, reason))
        else:
            kept.append(line)
    return kept, _merge(removed)


def _merge(removed: list[tuple[str, str]]) -> list[Boilerplate]:
    out: list[Boilerplate] = []
    for text, reason in removed:
        if out and out[-1].reason == reason:
            out[-1].text += "\n" + text
        else:
            out.append(Boilerplate(text=text, reason=reason))
    return out


def clean_paragraphs(paragraphs: list[str]) -> tuple[str, list[Boilerplate]]:
    """Article text ("\\n\\n" between paragraphs) and the furniture cut from `paragraphs`."""
    lines = [p.strip() for p in paragraphs]
    lines = [p for p in lines if p]
    kept, boilerplate = split_furniture(lines)
    return "\n\n".join(kept), boilerplate

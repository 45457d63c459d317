"""Bring the traditional-Chinese catalogues up to date with the simplified ones, by OpenCC conversion.

    manage.py sync_traditional [--profile s2hk]

Each entry of locale/zh_Hant/LC_MESSAGES/<domain>.po remembers (as digests in a translator comment) the simplified
text it was converted from and the conversion it got. An entry is (re)converted only when it is missing or empty,
or when its simplified text changed and nobody had edited the traditional one since it was converted. A translator's
own wording is never overwritten: if its simplified text changes under it, the entry is kept and marked fuzzy, with
the new conversion beside it as a comment, so the catalogue test fails until someone looks at it. Entries no longer
in the simplified catalogue go.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

MARK = "sync_traditional: "
SUGGESTION_MARK = "OpenCC now gives: "
DOMAINS = ("django", "djangojs")


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _msgstr(entry):
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def _set_msgstr(entry, text):
    if entry.msgid_plural:
        entry.msgstr_plural = {0: text}
    else:
        entry.msgstr = text


def _record(entry):
    """(digest of the simplified text, digest of the conversion) the entry was made from, or (None, None)."""
    for line in (entry.tcomment or "").splitlines():
        if line.startswith(MARK):
            simplified, _, converted = line[len(MARK) :].partition(" ")
            return simplified, converted
    return None, None


def _comment(base, converted, suggestion=None):
    # Digests, not texts: a comment line never wraps, so the record reads back exactly.
    lines = [f"{MARK}{_digest(base)} {_digest(converted)}"]
    if suggestion is not None:
        lines.append(SUGGESTION_MARK + suggestion)
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Fill and update locale/zh_Hant from locale/zh_Hans by OpenCC, keeping translators' edits."

    def add_arguments(self, parser):
        # Hong Kong phrasing by default: the archive's Hong Kong groups and readers. s2twp gives Taiwan's phrasing.
        parser.add_argument("--profile", default="s2hk", choices=["s2hk", "s2twp", "s2t"])
        parser.add_argument("--locale-dir", default=None, help="Default: the first of LOCALE_PATHS.")

    def handle(self, *args, profile, locale_dir, **options):
        try:
            import opencc
            import polib
        except ImportError as exc:  # both are development dependencies (requirements-dev.txt)
            raise CommandError(f"{exc.name} is needed: install requirements-dev.txt") from exc
        converter = opencc.OpenCC(profile)

        def convert(text):
            # Corner brackets, as Hong Kong and Taiwan quote; OpenCC converts the words, not the punctuation.
            return converter.convert(text).replace("“", "「").replace("”", "」")

        root = Path(locale_dir or settings.LOCALE_PATHS[0])
        for domain in DOMAINS:
            source = root / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
            if source.exists():
                self._sync(polib, convert, profile, source, root / "zh_Hant" / "LC_MESSAGES" / f"{domain}.po")

    def _sync(self, polib, convert, profile, source, target):
        simplified = polib.pofile(str(source))
        traditional = polib.pofile(str(target)) if target.exists() else polib.POFile()
        existing = {(entry.msgctxt, entry.msgid): entry for entry in traditional if not entry.obsolete}
        result = polib.POFile(wrapwidth=simplified.wrapwidth)
        result.header = (
            "The Labour NGO Case Archive's interface in traditional Chinese: converted from the simplified catalogue\n"
            f"by `manage.py sync_traditional` (OpenCC {profile}); edit any entry, the next sync keeps your wording."
        )
        result.metadata = {
            **simplified.metadata,
            **{k: v for k, v in traditional.metadata.items() if k in ("PO-Revision-Date", "Last-Translator")},
            "Language": "zh_Hant",
            "Plural-Forms": "nplurals=1; plural=0;",
        }
        counts = {"converted": 0, "kept": 0, "review": 0}
        for entry in simplified:
            if entry.obsolete:
                continue
            base = _msgstr(entry)
            converted = convert(base) if base else ""
            old = existing.get((entry.msgctxt, entry.msgid))
            new = polib.POEntry(
                msgid=entry.msgid,
                msgctxt=entry.msgctxt,
                msgid_plural=entry.msgid_plural,
                occurrences=entry.occurrences,
                comment=entry.comment,
                flags=[flag for flag in entry.flags if flag != "fuzzy"],
            )
            if entry.msgid_plural:
                new.msgstr_plural = {0: ""}
            old_text = _msgstr(old) if old is not None else ""
            base_digest, converted_digest = _record(old) if old is not None else (None, None)
            edited = bool(old_text) and _digest(old_text) != converted_digest
            changed = base_digest != _digest(base)
            if not old_text or (not edited and changed):
                _set_msgstr(new, converted)
                new.tcomment = _comment(base, converted)
                counts["converted"] += old_text != converted
            elif not changed:
                _set_msgstr(new, old_text)
                new.tcomment = old.tcomment
                # Still awaiting a translator's look (see below); a flag that only mirrored the simplified entry's
                # goes with it.
                if "fuzzy" in old.flags and SUGGESTION_MARK in (old.tcomment or ""):
                    new.flags.append("fuzzy")
                counts["kept"] += 1
            else:
                # The simplified text changed under a translator's wording: keep theirs, ask for a look. Once they
                # have looked and removed the flag, it stays theirs: the new simplified text is recorded as seen.
                _set_msgstr(new, old_text)
                new.tcomment = _comment(base, converted, suggestion=converted)
                new.flags.append("fuzzy")
                counts["review"] += 1
            if "fuzzy" in entry.flags and "fuzzy" not in new.flags:
                new.flags.append("fuzzy")
            result.append(new)
        target.parent.mkdir(parents=True, exist_ok=True)
        result.save(str(target))
        self.stdout.write(
            f"{target}: {counts['converted']} converted, {counts['kept']} kept, {counts['review']} to review (fuzzy)"
        )

"""The published site's words, one file a language (``data/words-<lang>.json``).

Each file holds the catalog texts the site shows (every key under :data:`SITE_PREFIXES`,
English where the language has none), the policy versions' titles, statuses and notes and
the proposal's parts in that language (profile data), and how many of the language's
entries no fluent speaker has checked yet (gettext's ``fuzzy`` flag: see
``docs/translating.md``). A page reads only its reader's language.
"""

from __future__ import annotations

from geo.i18n import DEFAULT_LANGUAGE, load_catalog, translator, unreviewed_keys
from geo.profile import Profile

SITE_PREFIXES = (
    "site.",
    "card.",
    "asof.basis.",  # what the data's as-of date is
    "category.",
    "verdict.",
    "owner_class.",
    "legend.",
    "places.",
    "sheet.",
    "privacy.",
    "proposal.",
    "notice.",
    "aboutdata.",
    "operator.",
    "map.illustrative",
    "map.data",
    "map.tiles_failed",
    "search.hint",
    "plan.handout",
    "change.",  # what changed since the previous fetch (with a history)
    "changes.intro",
    "changes.none",
    "changes.flipped",
)


def site_keys() -> list[str]:
    """Every catalog key the site shows, in the English catalog's order."""
    english, _ = load_catalog(DEFAULT_LANGUAGE)
    return [key for key in english if key.startswith(SITE_PREFIXES)]


def review_state(lang: str) -> dict[str, int]:
    """How many of a language's entries are not yet checked, of how many."""
    total = len(load_catalog(DEFAULT_LANGUAGE)[0])
    return {"unreviewed": len(unreviewed_keys(lang)), "total": total}


def language_file(profile: Profile, lang: str) -> dict[str, object]:
    """One language's words for the site."""
    t = translator(lang)
    versions = [
        {
            "id": key,
            "title": v.text("title", lang),
            "status": v.text("status", lang),
            "note": v.text("note", lang),
        }
        for key, v in profile.policies.items()
    ]
    parts = [
        {
            "title": part.get(f"title_{lang}") or part.get("title", ""),
            "text": part.get(f"text_{lang}") or part.get("text", ""),
        }
        for part in profile.proposal_parts
    ]
    return {
        "lang": lang,
        "words": {key: t(key) for key in site_keys()},
        "versions": versions,
        "proposal": parts,
        "review": review_state(lang),
    }

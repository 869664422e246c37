"""Jurisdiction profiles: the policy's terms and the data's shape, read from TOML.

A profile (``data/<place>/profile.toml``) says which source fields map to the canonical
schema, which owner names count as the city, which land-use codes are lots and garages,
where the landmarks are, how far the free speech zone reaches, and which policy versions
exist. Nothing about a jurisdiction is hard-coded elsewhere.
"""

from geo.profile.model import Profile
from geo.profile.reader import load_profile
from geo.profile.sections import AssemblySpec, Landmark, PolicyVersion, Rule, SiteInfo, ZoneSpec

__all__ = [
    "AssemblySpec",
    "Landmark",
    "PolicyVersion",
    "Profile",
    "Rule",
    "SiteInfo",
    "ZoneSpec",
    "load_profile",
]
